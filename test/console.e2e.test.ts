import { describe, expect, it } from 'vitest';
import { runScript, tempCorpus } from './helpers.js';

const start = (input: string, env: Record<string, string | undefined> = {}) => runScript('src/main.js', [], { input, env: { DISCORD_TOKEN: undefined, CORPUS_DIR: undefined, ...env } });

describe('npm start without a Discord token: the console chat (real process, real stdin/stdout)', () => {
  it('greets, answers a bare question and /ask, lists /sources and /help, then leaves on /quit', async () => {
    const run = await start('How many troops has Russia amassed?\n/ask Lugansk explosions\n/sources\n/help\n/quit\nnever read\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Cited — 5 articles, \d+ quotable sentences\./);
    expect(run.stdout).toContain('> Western capitals say Russia has amassed 150,000 troops');
    expect(run.stdout).toContain('[1] NDTV, 2022-02-23 — ProRussian Leaders In Ukraine Ask Putin For Military Against Kyiv');
    expect(run.stdout).toContain('Luhansk recorded 860 explosions');
    expect(run.stdout).toContain('5 articles');
    expect(run.stdout).toContain('unknown outlet, date unknown — untitled');
    expect(run.stdout).toMatch(/\/ask <question>/);
    expect(run.stderr).toBe('');
  });

  it('abstains, pages with /more, and answers bad input with a message instead of crashing', async () => {
    const run = await start(
      ['What is the capital of Australia?', 'What is the weather in Kyiv today?', 'Putin recognised independence of the separatist regions', '/more', '/nosuch', '/ask', '🙂', 'x'.repeat(5000), 'Kiev'].join('\n') + '\n',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No passage in the articles answers this');
    expect(run.stdout).toContain('No article mentions: australia.\nIf the articles may say it in other words, ask again with theirs.');
    expect(run.stdout).toMatch(/No passage clearly answers this\. The closest the articles come:\n\n> .*(Kyiv|Kiev)/);
    expect(run.stdout).toContain('type /more for more excerpts');
    expect(run.stdout).toContain('There is no command /nosuch');
    expect(run.stdout).toContain('Ask a question, for example');
    expect(run.stdout).toContain('no words to search for');
    expect(run.stdout).toContain('the limit is 4,000');
    expect(run.stdout).toContain('Kiev is continuing its military buildup');
    expect(run.stderr).toBe('');
  });

  it('never writes an escape sequence from an article or a question to the terminal', async () => {
    const corpus = tempCorpus({ 'hostile.txt': '---\ntitle: Harmless \x1b]0;pwned\x07title\n---\nThe ceasefire was agreed in \x1b[2JGeneva on Friday.\n' });
    const run = await start('ceasefire Geneva\x1b[8m\n/sources\n', { CORPUS_DIR: corpus });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stdout).not.toContain('\x07');
    expect(run.stdout).toContain('> The ceasefire was agreed in [2JGeneva on Friday.');
    expect(run.stdout).toContain('Harmless ]0;pwnedtitle');
  });

  it('ends cleanly at end of input (Ctrl+D)', async () => {
    const run = await start('');
    expect(run.code).toBe(0);
  });

  it('warns about a broken article on stderr and still chats over the rest', async () => {
    const dir = tempCorpus({ 'good.txt': 'Shelling hit the water station in Donetsk.\n', 'bad.txt': new Uint8Array([0xff, 0xfe, 0x00, 0x41]) });
    const run = await start('water station\n', { CORPUS_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: bad\.txt: skipped/);
    expect(run.stdout).toContain('> Shelling hit the water station in Donetsk. [1]');
  });

  it('reads .env from the working folder (variables already set win)', async () => {
    const dir = tempCorpus({ 'only.txt': 'A ceasefire was agreed in Geneva.\n' });
    const cwd = tempCorpus({ '.env': `CORPUS_DIR=${dir}\nLOG_LEVEL=info\n` });
    const run = await runScript('src/main.js', [], { input: 'ceasefire\n', cwd, env: { DISCORD_TOKEN: undefined, CORPUS_DIR: undefined } });
    expect(run.stdout).toMatch(/^Cited — 1 article, 1 quotable sentence\./);
    expect(run.stdout).toContain('> A ceasefire was agreed in Geneva. [1]');
  });

  it('stops with a message naming the problem when the corpus folder is missing', async () => {
    const run = await start('', { CORPUS_DIR: '/nonexistent/corpus' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/CORPUS_DIR/);
  });
});

describe('moderating from the console (the person at it moderates)', () => {
  it('suppresses a source, lists it, logs it, counts gaps, and removes and adds articles', async () => {
    const corpus = tempCorpus({}, true);
    const extra = tempCorpus({ 'geneva.txt': 'Negotiators met in Geneva on Friday to discuss a ceasefire.\n' });
    const run = await start(
      [
        '/moderation suppress 000_138185aca57c1631 reason: syndicated duplicate',
        'How many troops has Russia amassed?',
        '/moderation suppressed',
        '/moderation unsuppress 000_138185aca57c1631',
        'What is the capital of Australia?',
        'what is the capital of australia',
        '/moderation gaps',
        `/sources add ${extra}/geneva.txt`,
        'Where did negotiators meet?',
        '/sources remove geneva',
        '/moderation log',
        '/moderation frobnicate',
      ].join('\n') + '\n',
      { CORPUS_DIR: corpus },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Suppressed the source 000_138185aca57c1631 (NDTV: ProRussian Leaders');
    const answer = run.stdout.split('Suppressed in this server')[0]!.split('It will not be quoted here again.')[1]!;
    expect(answer).toContain('147,000 troops');
    expect(answer).not.toContain('NDTV');
    expect(run.stdout).toMatch(/• the source 000_138185aca57c1631 .* · syndicated duplicate/);
    expect(run.stdout).toContain('• 2× “what is the capital of australia”');
    expect(run.stdout).toContain('Added geneva (unknown outlet, date unknown): 1 quotable sentences.');
    expect(run.stdout).toContain('> Negotiators met in Geneva on Friday to discuss a ceasefire. [1]');
    expect(run.stdout).toContain('Removed geneva (unknown outlet). It will not be quoted again.');
    expect(run.stdout).toMatch(/· source-remove · geneva[\s\S]*· source-add · geneva[\s\S]*· unsuppress · source 000_138185aca57c1631[\s\S]*· suppress · source 000_138185aca57c1631 · syndicated duplicate/);
    expect(run.stdout).toContain('There is no command /moderation frobnicate.');
  });
});
