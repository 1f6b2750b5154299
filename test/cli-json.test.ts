import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { built, freshDir, manyArticles, runScript, tempCorpus } from './helpers.js';

const ask = (args: string[], input?: string, env?: Record<string, string | undefined>) =>
  runScript('src/cli/ask.js', args, { ...(input !== undefined ? { input } : {}), ...(env ? { env } : {}) });

/** The stable machine interface: exactly these keys, in this shape. */
function expectAnswerShape(value: unknown) {
  const answer = value as Record<string, unknown>;
  // The original fields keep their names and meaning; added later: `related` (the closest passages
  // when abstaining) and `notes` (what the console says about the question's words).
  expect(Object.keys(answer).filter((k) => k !== 'error').sort()).toEqual(['abstained', 'excerpts', 'notes', 'question', 'related']);
  expect(Array.isArray(answer.notes) && (answer.notes as unknown[]).every((n) => typeof n === 'string')).toBe(true);
  if (answer.error !== undefined) expect(answer.notes).toEqual([]);
  expect(typeof answer.question).toBe('string');
  expect(typeof answer.abstained).toBe('boolean');
  if (answer.abstained) expect(answer.excerpts).toEqual([]);
  else expect(answer.related).toEqual([]);
  for (const excerpt of [...(answer.excerpts as Record<string, unknown>[]), ...(answer.related as Record<string, unknown>[])]) {
    expect(Object.keys(excerpt).sort()).toEqual(['score', 'sources', 'text']);
    expect(typeof excerpt.text).toBe('string');
    expect(typeof excerpt.score).toBe('number');
    for (const source of excerpt.sources as Record<string, unknown>[]) {
      expect(Object.keys(source).sort()).toEqual(['date', 'id', 'outlet', 'title', 'url']);
      for (const key of ['title', 'outlet', 'date', 'url']) expect(source[key] === null || typeof source[key] === 'string').toBe(true);
    }
  }
}

describe('npm run ask (compiled CLI, real process)', () => {
  it('--json prints one JSON object with the stable shape', async () => {
    const run = await ask(['--json', 'How many troops has Russia amassed?']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!);
    expectAnswerShape(answer);
    expect(answer).toMatchObject({ question: 'How many troops has Russia amassed?', abstained: false });
    expect(answer.excerpts[0].text).toContain('150,000 troops');
    expect(answer.excerpts[0].sources[0]).toEqual({
      id: '000_138185aca57c1631',
      title: 'ProRussian Leaders In Ukraine Ask Putin For Military Against Kyiv',
      outlet: 'NDTV',
      date: '2022-02-23',
      url: 'https://www.ndtv.com/world-news/pro-russian-leaders-in-ukraine-ask-putin-for-military-against-kyiv-2785807',
    });
  });

  it('--json --batch answers one question per line, one object per line, skipping blank lines', async () => {
    const run = await ask(['--json', '--batch'], 'How many troops has Russia amassed?\n\nWhat is the capital of Australia?\n🙂\nKiev\n');
    const answers = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(answers.map((a) => [a.question, a.abstained, a.error?.code ?? null])).toEqual([
      ['How many troops has Russia amassed?', false, null],
      ['What is the capital of Australia?', true, null],
      ['🙂', true, 'NO_SEARCHABLE_WORDS'],
      ['Kiev', false, null],
    ]);
    answers.forEach(expectAnswerShape);
    expect(run.code).toBe(1); // one question could not be asked
  });

  it('prints a readable answer without --json', async () => {
    const run = await ask(['Lugansk', 'explosions']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('> Donetsk recorded 533 explosions and one civilian casualty while Luhansk recorded 860 explosions. [1]');
    expect(run.stdout).toMatch(/\[1\] Newsweek, 2022-02-23 — Russian Military to Put More Boots/);
  });

  it('says what is wrong: usage, a bad question, a missing corpus', async () => {
    expect((await ask([])).code).toBe(2);
    const empty = await ask(['   ']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/Ask a question/);
    const missing = await ask(['--corpus', '/nonexistent/corpus', 'troops']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/corpus folder \/nonexistent\/corpus does not exist/);
  });

  it('keeps warnings about broken files on stderr, so stdout stays JSON', async () => {
    const dir = tempCorpus({ 'a.txt': 'Troops gathered near the border at dawn.\n', 'broken.txt': new Uint8Array([0, 1, 2]) });
    const run = await ask(['--json', '--corpus', dir, 'troops border']);
    expect(run.stderr).toMatch(/warning: broken\.txt: skipped: looks binary/);
    expect(JSON.parse(run.stdout).excerpts[0].text).toBe('Troops gathered near the border at dawn.');
  });

  it('CORPUS_DIR selects the corpus', async () => {
    const dir = tempCorpus({ 'a.txt': 'Explosions shook the harbour overnight.\n' });
    const run = await ask(['--json', 'harbour explosions'], undefined, { CORPUS_DIR: dir });
    expect(JSON.parse(run.stdout).excerpts[0].sources[0].id).toBe('a');
  });
});

describe('progress on a large corpus', () => {
  it('is shown on stderr as plain lines when not on a terminal, and not at all for small corpora', async () => {
    const files = manyArticles(120);
    const big = await ask(['--json', '--corpus', tempCorpus(files), 'troops border']);
    expect(big.stderr.split('\n').filter((l) => l.startsWith('analysing articles:'))).toEqual([
      'analysing articles: 0/120 (0%)',
      'analysing articles: 30/120 (25%)',
      'analysing articles: 60/120 (50%)',
      'analysing articles: 90/120 (75%)',
      'analysing articles: 120/120 (100%)',
    ]);
    expect(JSON.parse(big.stdout).abstained).toBe(false);
    const small = await ask(['--json', 'troops']);
    expect(small.stderr).not.toMatch(/analysing articles/);
  });

  it('is a bar redrawn in place on a terminal', async () => {
    const files = manyArticles(120);
    const corpus = tempCorpus(files);
    // util-linux `script` runs the CLI on a pseudo-terminal, as a person at a terminal would.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(built('src/cli/ask.js'))} --json --corpus ${JSON.stringify(corpus)} "troops border"`;
    const run = await new Promise<string>((resolve, reject) => {
      execFile('script', ['-qec', command, '/dev/null'], { env: { ...process.env, NO_COLOR: '1', DATA_DIR: freshDir('cited-data-') } }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    const frames = run.split('\r').filter((f) => f.startsWith('analysing articles ['));
    expect(frames.length).toBeGreaterThan(2);
    expect(frames[0]).toMatch(/^analysing articles \[-{30}\] 0\/120/);
    expect(frames.at(-1)).toMatch(/^analysing articles \[#{30}\] 120\/120/);
    expect(run).not.toMatch(/analysing articles: \d+\/120 \(/); // no plain lines on a terminal
  });
});

describe('npm run ask: paging, notes, usage and a closed pipe', () => {
  const question = 'How many troops has Russia amassed?';

  it('--excerpts N and --offset N page through one answer', async () => {
    const whole = JSON.parse((await ask(['--json', '--excerpts', '4', question])).stdout);
    expect(whole.excerpts).toHaveLength(4);
    const one = JSON.parse((await ask(['--json', '--excerpts', '1', question])).stdout);
    expect(one.excerpts.map((e: { text: string }) => e.text)).toEqual([whole.excerpts[0].text]);
    const next = JSON.parse((await ask(['--json', '--excerpts=2', '--offset', '2', question])).stdout);
    expectAnswerShape(next);
    expect(next.excerpts.map((e: { text: string }) => e.text)).toEqual(whole.excerpts.slice(2, 4).map((e: { text: string }) => e.text));
  });

  it('the readable answer says how to get the next excerpts with --offset, never /more', async () => {
    const run = await ask(['--excerpts', '2', '--offset', '1', question]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`next excerpts: npm run ask -- --excerpts 2 --offset 3 'How many troops has Russia amassed?'`);
    expect(run.stdout).not.toContain('/more');
    const quoted = await ask(["Putin's troops"]);
    expect(quoted.stdout).toContain(`--offset 3 'Putin'\\''s troops'`);
  });

  it('refuses a bad --excerpts or --offset, or an unknown flag, as wrong usage (status 2, no stack trace)', async () => {
    for (const args of [['--excerpts', 'abc'], ['--excerpts', '0'], ['--excerpts', '51'], ['--offset', '1.5'], ['--offset=-1'], ['--frobnicate']]) {
      const run = await ask([...args, question]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^usage: npm run ask -- /m);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await ask(['--offset', 'x', question])).stderr).toMatch(/^--offset takes a whole number, 0 or more, not "x"\n/);
    expect((await ask(['--excerpts', '0', question])).stderr).toMatch(/^--excerpts takes a whole number from 1 to 50, not "0"\n/);
    const help = await ask(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run ask -- .*--excerpts N.*--offset N/);
  });

  it('--json notes say what the console says of the words: both spellings, a fold, words no article uses', async () => {
    const run = await ask(['--json', '--batch'], ['luhansk explosions', 'Zelenskiy security guarantees', 'What is the capital of Australia?', 'Kiev', '🙂'].join('\n') + '\n');
    const answers = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    answers.forEach(expectAnswerShape);
    expect(answers.map((a) => a.notes)).toEqual([
      ['the articles spell it both “Luhansk” and “Lugansk”'],
      ['searched “Zelenskiy” as the articles spell it, “Zelenskyy”'],
      ['no article mentions: australia'],
      [],
      [],
    ]);
    const human = await ask(['luhansk explosions']);
    expect(human.stdout).toContain('(the articles spell it both “Luhansk” and “Lugansk”; next excerpts:');
  });

  it('ends quietly with status 0 when the reader closes the pipe early (… | head -1)', async () => {
    const child = spawn(process.execPath, [built('src/cli/ask.js'), '--batch'], { cwd: freshDir('cited-cwd-'), env: { ...process.env, NO_COLOR: '1', DATA_DIR: freshDir('cited-data-') }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    // 300 answers are far more than a pipe holds, so the program is still writing when the reader goes.
    child.stdin.end(`${question}\n`.repeat(300));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});

describe('npm run figures: usage', () => {
  const figures = (args: string[]) => runScript('src/cli/figures.js', args);

  it('--help prints the usage (status 0); an unknown flag prints it as wrong usage (status 2), never a stack trace', async () => {
    const help = await figures(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run figures -- \[--json\] \[--corpus DIR\] \[topic\]/);
    const wrong = await figures(['--bogus', 'troops']);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(/^Unknown option '--bogus'[\s\S]*\nusage: npm run figures -- /);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});
