/**
 * Pages and feeds end to end through the console (a real, long-running process fed line by line)
 * and the CLI, against the loopback news site. Covers `/sources add <URL>` and `<path>.html` with
 * every refusal, following a feed (from the chat and from FEEDS) whose items change between
 * polls, and ALLOW_PRIVATE_URLS off: a loopback address refused and never contacted.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { built, freshDir, runScript, tempCorpus } from './helpers.js';
import { ampPage, barePage, jsonLdPage, paywallPage, startNewsSite, stories, type NewsSite } from './support/news-site.js';

let site: NewsSite;
beforeAll(async () => {
  site = await startNewsSite();
});
afterAll(async () => {
  await site?.stop();
});

interface Chat {
  send(line: string): void;
  /** Resolves with the whole output once `pattern` appears after what was already waited for. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  output(): string;
  close(): Promise<number | null>;
}

/** The console chat as a process whose input the test writes line by line. */
function startChat(env: Record<string, string>): Chat {
  const child = spawn(process.execPath, [built('src/main.js')], {
    cwd: freshDir('cited-cwd-'),
    env: { ...process.env, NO_COLOR: '1', DISCORD_TOKEN: '', DATA_DIR: freshDir('cited-data-'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let seen = 0;
  const waiters: (() => void)[] = [];
  const onData = (d: string) => {
    output += d;
    for (const w of [...waiters]) w();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    send: (line) => void child.stdin.write(`${line}\n`),
    output: () => output,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output.slice(seen));
          if (!match) return false;
          seen += match.index + match[0].length;
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(timer);
          resolve(output);
          return true;
        };
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in:\n${output}`)), timeoutMs);
        waiters.push(check);
        check();
      });
    },
    close() {
      child.stdin.end();
      return exited;
    },
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the console with ALLOW_PRIVATE_URLS (the news site is on 127.0.0.1)', () => {
  it('adds pages by address and by path, refuses bad ones with the reason, and answers from what it added', async () => {
    const files = freshDir('cited-files-');
    writeFileSync(join(files, 'Kyiv courier.html'), ampPage(stories.mobilisation, 'https://courier.example'));
    const data = freshDir('cited-data-');
    const corpus = tempCorpus({}, true);
    const chat = startChat({ CORPUS_DIR: corpus, DATA_DIR: data, ALLOW_PRIVATE_URLS: 'true', FETCH_TIMEOUT_SECONDS: '2' });
    await chat.waitFor(/Ask a question, or type \/help/);
    const grain = `${site.url}/news/${stories.grain.slug}`;
    chat.send(`/sources add ${grain}`);
    await chat.waitFor(new RegExp(escape(`Added 127.0.0.1-grain-corridor-talks (Bosphorus Ledger, 2026-11-18): 5 quotable sentences. It is searched from now on. From ${grain}; the page's HTML is kept for audit.`)));
    chat.send('How many cargo ships were waiting off Odesa?');
    await chat.waitFor(/> Turkish officials said 46 cargo ships carrying 1\.2 million tonnes of wheat and maize were waiting at anchor off Odesa\. \[1\][\s\S]*\[1\] Bosphorus Ledger, 2026-11-18 — Grain corridor talks resume in Istanbul/);
    chat.send(`/sources add url:${site.url}/r/1`);
    await chat.waitFor(/Added 127\.0\.0\.1-odesa-rail-reopens \(Southern Wire, 2026-11-21\)/);
    chat.send(`/sources add ${join(files, 'Kyiv courier.html')}`);
    await chat.waitFor(/Added Kyiv_courier \(Kyiv Courier, 2026-11-20\): 4 quotable sentences\. It is searched from now on\. Extracted from Kyiv courier\.html and saved as Kyiv_courier\.txt; the page's HTML is kept for audit\./);
    chat.send(`/sources add ${site.url}/news/syndicated-grain`);
    await chat.waitFor(/syndicated-grain was not added: the corpus already has it as 127\.0\.0\.1-grain-corridor-talks \(near-identical text, from Bosphorus Ledger\)/);
    chat.send(`/sources add ${site.url}/premium/inside`);
    await chat.waitFor(/premium\/inside was not added: only \d sentences \(\d+ characters\) of article text — the page says the article is for subscribers \(a paywall\)\./);
    chat.send(`/sources add ${site.url}/slow`);
    await chat.waitFor(new RegExp(escape(`Could not fetch ${site.url}/slow: no complete answer within 2 s.`)));
    chat.send(`/sources add ${site.url}/error`);
    await chat.waitFor(new RegExp(escape(`Could not fetch ${site.url}/error: the server answered 500 Internal Server Error.`)));
    chat.send(`/sources add ${site.url}/report.pdf`);
    await chat.waitFor(/report\.pdf was not added: it is application\/pdf, not an HTML page\./);
    chat.send(`/sources add ${site.url}/huge`);
    await chat.waitFor(/huge: it is over the 10\.0 MiB limit\./);
    chat.send(`/sources add ${site.url}/loop`);
    await chat.waitFor(/loop: it redirects more than 5 times\./);
    chat.send(`/sources add file:${join(files, 'Kyiv courier.html')} url:${grain}`);
    await chat.waitFor(/\/sources add takes one article at a time: attach a file or give url:, not both\./);
    chat.send('When did parliament approve the mobilisation rules?');
    await chat.waitFor(/> Parliament approved new mobilisation rules on Friday with 283 votes in favour/);
    expect(await chat.close()).toBe(0);
    expect(chat.output()).not.toMatch(/internal error|Something went wrong/);
    // The corpus holds readable .txt articles with front matter; the pages are kept beside the store.
    expect(readFileSync(join(corpus, '127.0.0.1-grain-corridor-talks.txt'), 'utf8')).toMatch(/^---\ntitle: Grain corridor talks resume in Istanbul\ndate: 2026-11-18\nurl: http:\/\/127\.0\.0\.1:\d+\/news\/grain-corridor-talks\noutlet: Bosphorus Ledger\n---\nNegotiators from four delegations/);
    expect(readdirSync(join(data, 'pages')).sort()).toEqual(['127.0.0.1-grain-corridor-talks.html', '127.0.0.1-odesa-rail-reopens.html', 'Kyiv_courier.html']);
  });

  it('follows a feed whose items change between polls, lists it, and unfollows it; a feed from FEEDS is followed at start', async () => {
    site.setFeed('console.rss', 'Console wire', [{ story: stories.rail }]);
    site.setFeed('configured.json', 'Configured wire', [{ story: stories.dam, fullText: true }]);
    const chat = startChat({ CORPUS_DIR: tempCorpus({}, true), ALLOW_PRIVATE_URLS: 'true', FEED_POLL_SECONDS: '1', FEEDS: `${site.url}/feeds/configured.json` });
    await chat.waitFor(/note: added 127\.0\.0\.1-reservoir-levels from feed #1 \(Reservoir levels fall below winter minimum\)/);
    chat.send(`/sources follow ${site.url}/feeds/console.rss`);
    await chat.waitFor(new RegExp(escape(`Following feed #2, Console wire (${site.url}/feeds/console.rss): 1 item in it now. New articles from it are added in the background; /sources feeds shows how it goes.`)));
    await chat.waitFor(/note: added 127\.0\.0\.1-odesa-rail-reopens from feed #2/);
    // The next version of the feed brings one more item; polls in between get 304s.
    await chat.waitFor(/note: feed polled #2 \S+: not modified/);
    site.setFeed('console.rss', 'Console wire', [{ story: stories.bridge }, { story: stories.rail }]);
    await chat.waitFor(/note: added 127\.0\.0\.1-pontoon-bridge from feed #2/);
    chat.send('What can the pontoon bridge carry?');
    await chat.waitFor(/> The crossing can carry vehicles of up to 40 tonnes/);
    chat.send('/sources feeds');
    await chat.waitFor(/Feeds followed[\s\S]*#1 Configured wire — \S+configured\.json \(from FEEDS\) · last fetched [\d-]+ [\d:]+ UTC \([^)]*\) · 1 article taken[\s\S]*#2 Console wire — \S+console\.rss · last fetched [\d-]+ [\d:]+ UTC \([^)]*\) · 2 articles taken/);
    chat.send('/sources unfollow 1');
    await chat.waitFor(/Stopped following feed #1, Configured wire \(\S+\)\. The 1 article taken from it stay in the corpus \(\/sources remove takes one out\)\. It is listed in FEEDS, so it is followed again at the next start unless it is taken out of FEEDS too\./);
    chat.send(`/sources follow ${site.url}/news/${stories.grain.slug}`);
    await chat.waitFor(/is not a feed Cited can read: it is an HTML page \(\/sources add url: adds a page\)\./);
    expect(await chat.close()).toBe(0);
    const conditional = site.requests.filter((r) => r.path === '/feeds/console.rss' && r.status === 304);
    expect(conditional.length).toBeGreaterThan(0);
    expect(conditional[0]!.headers['if-none-match']).toBe('"console.rss-v1"');
  });
});

describe('the console without ALLOW_PRIVATE_URLS', () => {
  it('refuses a loopback page and a loopback feed with the reason, and never contacts them', async () => {
    const before = site.requests.length;
    const run = await runScript('src/main.js', [], {
      input: [`/sources add ${site.url}/news/${stories.grain.slug}`, `/sources follow ${site.url}/feeds/console.rss`].join('\n') + '\n',
      env: { DISCORD_TOKEN: undefined, CORPUS_DIR: tempCorpus({}, true) },
    });
    expect(run.code).toBe(0);
    const why = '127.0.0.1 is a loopback address (this machine), and Cited does not fetch from private, loopback or link-local addresses (ALLOW_PRIVATE_URLS).';
    expect(run.stdout).toContain(`${site.url}/news/${stories.grain.slug} was not fetched: ${why}`);
    expect(run.stdout).toContain(`${site.url}/feeds/console.rss was not fetched: ${why}`);
    expect(site.requests.length).toBe(before);
  });
});

describe('the CLI over a corpus folder with pages in it', () => {
  it('quotes .html pages extracted at load, cited with their own metadata; a paywall page is skipped with a warning', async () => {
    const corpus = tempCorpus({
      'grain.html': jsonLdPage(stories.grain, 'https://ledger.example'),
      'power.htm': barePage(stories.power),
      'mobilisation-amp.html': ampPage(stories.mobilisation, 'https://courier.example'),
      'inside.html': paywallPage('https://premium.example'),
    });
    const run = await runScript('src/cli/ask.js', ['--json', 'How many cargo ships were waiting off Odesa?'], { env: { CORPUS_DIR: corpus } });
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as { excerpts: { text: string; sources: { id: string; outlet: string | null; date: string | null; url: string | null; title: string | null }[] }[] };
    expect(answer.excerpts[0]!.text).toBe(stories.grain.paragraphs[1]);
    expect(answer.excerpts[0]!.sources[0]).toEqual({ id: 'grain', title: stories.grain.headline, outlet: 'Bosphorus Ledger', date: '2026-11-18', url: 'https://ledger.example/news/grain-corridor-talks' });
    expect(run.stderr).toMatch(/warning: inside\.html: skipped: only \d sentences .* \(a paywall\)/);
    const amp = await runScript('src/cli/ask.js', ['--json', 'What age can men be called up from?'], { env: { CORPUS_DIR: corpus } });
    const ampAnswer = JSON.parse(amp.stdout) as typeof answer;
    expect(ampAnswer.excerpts[0]!.sources[0]).toMatchObject({ id: 'mobilisation-amp', outlet: 'Kyiv Courier', url: 'https://courier.example/news/mobilisation-rules' });
  });
});
