/**
 * The console chat's commands as a person types them, in a real process: the syntax /help shows,
 * options anywhere on the line and checked, source: by outlet or link, a pasted article link,
 * /more after an abstention, true spelling notes, and a moderator's report → queue → retract and
 * suppress loop on the console's own answers.
 */
import { describe, expect, it } from 'vitest';
import { freshDir, runScript, tempCorpus } from './helpers.js';
import { startConsole } from './support/console-driver.js';

const start = (input: string, env: Record<string, string | undefined> = {}) => runScript('src/main.js', [], { input, env: { DISCORD_TOKEN: undefined, CORPUS_DIR: undefined, ...env } });

/**
 * Feeds `lines` to one console, each followed by an unknown command `/end-N` whose refusal marks
 * where the reply ends; resolves with the replies in order, and the run.
 */
async function chat(lines: string[], env: Record<string, string | undefined> = {}) {
  const run = await start(lines.flatMap((line, i) => [line, `/end-${i}`]).join('\n') + '\n', env);
  const body = run.stdout.slice(run.stdout.indexOf('\n') + 1);
  const replies = body.split(/\n*There is no command \/end-\d+\. Type \/help to see the commands\.\n\n/).slice(0, lines.length);
  return { ...run, replies };
}

const NDTV = '000_138185aca57c1631';
const NDTV_LINK = 'https://www.ndtv.com/world-news/pro-russian-leaders-in-ukraine-ask-putin-for-military-against-kyiv-2785807';

describe('/help shows the syntax the console parses', () => {
  it('names options as name:value, with what each takes', async () => {
    const run = await start('/help\n');
    expect(run.stdout).toContain('/ask <question> [source:<article id, outlet or link>] [private:yes|no] — ');
    expect(run.stdout).toContain('/moderation suppress <sentence or article id> reason:<why> — ');
    expect(run.stdout).toContain('/moderation retract <answer id> reason:<why> — ');
    expect(run.stdout).toContain('/moderation log [limit:<1-50>] — ');
    expect(run.stdout).toContain('/report [<reason>] — ');
    expect(run.stdout).toContain('/ids — ');
  });

  it('and what it shows works, written the way it shows', async () => {
    const [asked, suppressed, log] = (
      await chat(['/ask How many troops has Russia amassed? source:ndtv private:yes', '/moderation suppress 003_67a18a0e446c63d1 reason:syndicated copy', '/moderation log limit:1'])
    ).replies;
    expect(asked).toContain('Western capitals say Russia has amassed 150,000 troops');
    expect(asked).not.toContain('Rashtranews');
    expect(suppressed).toContain('Suppressed the source 003_67a18a0e446c63d1');
    expect(log).toMatch(/^Audit log\n• .* · suppress · source 003_67a18a0e446c63d1 · syndicated copy$/);
  });

  it('/moderation channel, a Discord server\'s review channel, says the console has none, and changes nothing', async () => {
    const [shown, set, log] = (await chat(['/moderation channel', '/moderation channel channel:12345', '/moderation log limit:1'])).replies;
    expect(shown).toBe('Only a Discord server has a review channel; here, /moderation queue lists the reports.');
    expect(set).toBe(shown);
    expect(log).not.toContain('review-channel');
  });
});

describe('options on a console line', () => {
  it('stand anywhere, take an outlet name in any letter case or an article link, and say which ids an ambiguous outlet names', async () => {
    const corpus = tempCorpus({
      'wire1.txt': '---\noutlet: Reuters\ndate: 2022-02-20\n---\nConvoys of tanks crossed the bridge at dawn.\n',
      'wire2.txt': '---\noutlet: Reuters\ndate: 2022-02-21\n---\nTanks were seen near the bridge again on Monday.\n',
      'paper.txt': '---\noutlet: Kyiv Independent\nurl: https://kyivindependent.com/tanks-bridge/\n---\nResidents said tanks had damaged the bridge.\n',
    });
    const run = await chat(
      [
        '/ask source:"kyiv independent" tanks bridge',
        '/ask tanks source:KYIV_INDEPENDENT bridge', // not an outlet: no such source
        '/ask tanks bridge source:https://kyivindependent.com/tanks-bridge?ref=x',
        '/ask tanks bridge source:reuters',
        '/ask tanks bridge source:wire2',
      ],
      { CORPUS_DIR: corpus },
    );
    const [byOutlet, notOutlet, byLink, ambiguous, byId] = run.replies;
    expect(byOutlet).toMatch(/^> Residents said tanks had damaged the bridge\. \[1\]/);
    expect(byOutlet).not.toContain('Reuters');
    expect(notOutlet).toBe('No article has the id, outlet or link "KYIV_INDEPENDENT". Type /sources to see the articles with their outlets and ids.');
    expect(byLink).toMatch(/^> Residents said tanks had damaged the bridge\./);
    expect(ambiguous).toBe('"reuters" names more than one article: wire1 (2022-02-20), wire2 (2022-02-21). Give one of these ids instead, e.g. source:<id>.');
    expect(byId).toMatch(/^> Tanks were seen near the bridge again on Monday\. \[1\]/);
    expect(byId).not.toContain('Convoys');
  });

  it('refuse a bad value naming the option and what it takes, instead of ignoring it', async () => {
    const run = await chat(
      [
        '/moderation log limit:abc',
        '/moderation gaps limit:0',
        '/ask troops private:maybe',
        '/ask troops source:',
        '/ask troops source:ndtv source:newsweek',
        '/moderation suppress 003_67a18a0e446c63d1 not news',
        '/sources list everything',
        '/more please',
      ],
    );
    expect(run.replies).toEqual([
      'limit: takes a whole number from 1 to 50, not "abc". Type /help to see how to use it.',
      'limit: takes a whole number from 1 to 50, not "0". Type /help to see how to use it.',
      'private: takes yes or no, not "maybe". Type /help to see how to use it.',
      'source: takes an article id, outlet or link, not nothing. Type /help to see how to use it.',
      'source: is given twice; give it once.',
      '"not news" does not fit /moderation suppress <sentence or article id> reason:<why> (options are written name:value). Type /help to see how to use it.',
      '"everything" does not fit /sources list, which takes nothing after it. Type /help to see how to use it.',
      '"please" does not fit /more, which takes nothing after it. Type /help to see how to use it.',
    ]);
    expect(run.code).toBe(0);
  });
});

describe('/more, pasted links and spelling notes', () => {
  it('/more after an abstention has nothing more to show, and says when the excerpts run out', async () => {
    const run = await chat(['What is the capital of Australia?', '/more', 'How many troops has Russia amassed?', '/more', '/more', '/more', '/more', '/more', '/more']);
    const [abstained, afterAbstention, ...pages] = run.replies;
    expect(abstained).toContain('No passage in the articles answers this');
    expect(afterAbstention).toBe('No passage answered “What is the capital of Australia?”, so there is nothing more to show.');
    expect(pages[0]).toContain('type /more for more excerpts');
    const last = pages.findIndex((p) => p.startsWith('That was every excerpt'));
    expect(last).toBeGreaterThan(0);
    expect(pages[last]).toBe('That was every excerpt for “How many troops has Russia amassed?”; there is nothing more to show.');
    expect(pages[last - 1]).toMatch(/^> /);
    expect(pages[last - 1]).not.toContain('type /more');
  });

  it('a pasted article link (trailing slash, query string, no scheme) finds its /sources line', async () => {
    const run = await chat([NDTV_LINK, `${NDTV_LINK}/`, `/ask ${NDTV_LINK}?utm_source=twitter#top`, NDTV_LINK.replace('https://', ''), 'https://example.com/not-in-the-corpus']);
    const found = run.replies;
    for (const reply of found.slice(0, 4)) {
      expect(reply).toBe(`1 article\n• NDTV, 2022-02-23 — ProRussian Leaders In Ukraine Ask Putin For Military Against Kyiv\n    ${NDTV_LINK} · 29 sentences · id ${NDTV}`);
    }
    expect(found[4]).toContain('No article in the corpus has the link https://example.com/not-in-the-corpus. Type /sources');
    expect(run.stdout).not.toContain('no words to search for');
  });

  it('says the articles use both spellings when they do, and the fold only when they never use the asker’s', async () => {
    const run = await chat(['luhansk explosions', 'Kyiv', 'Zelenskiy security guarantees']);
    const [luhansk, kyiv, zelenskiy] = run.replies;
    // Newsweek writes Luhansk, the others Lugansk.
    expect(luhansk).toContain('Luhansk recorded 860 explosions');
    expect(luhansk).toContain('(the articles spell it both “Luhansk” and “Lugansk”; type /more for more excerpts)');
    expect(kyiv).toContain('the articles spell it both “Kyiv” and “Kiev”');
    expect(zelenskiy).toContain('searched “Zelenskiy” as the articles spell it, “Zelenskyy”');
    expect(run.stdout).not.toContain('as the corpus spells it');
  });
});

describe('moderating the console’s own answers', () => {
  it('report → queue → retract, and suppress a sentence from /ids, in one console', async () => {
    const chat = startConsole();
    expect(await chat.greeting).toMatch(/^Cited — 5 articles/);
    expect(await chat.say('/ids')).toBe('Ask a question first; /ids shows the ids behind the last answer.');
    expect(await chat.say('/report wrong')).toBe('Ask a question first; /report reports the last answer.');

    const answer = await chat.say('How many troops has Russia amassed?');
    expect(answer).toContain('> Western capitals say Russia has amassed 150,000 troops');
    const ids = await chat.say('/ids');
    const answerId = /^Answer (console-[0-9a-z]+-1) — “How many troops has Russia amassed\?”$/m.exec(ids)?.[1];
    expect(answerId).toBeDefined();
    const firstSentence = /^Passage 1:\n {2}(\S+#[0-9a-f]{10}) {2}“Western capitals say/m.exec(ids)?.[1];
    expect(firstSentence).toMatch(new RegExp(`^${NDTV}#`));
    expect(ids).toContain(`Articles: ${NDTV} (NDTV), 003_67a18a0e446c63d1 (Rashtranews)`);

    expect(await chat.say('/report the second figure is an estimate')).toBe(`Reported answer ${answerId} (“How many troops has Russia amassed?”) as report #1. It is in /moderation queue.`);
    expect(await chat.say('/report')).toBe(`Answer ${answerId} was already reported (report #1); your report joins it.`);
    expect(await chat.say('/moderation queue')).toBe(`Open reports\n• #1 · 1 report · “How many troops has Russia amassed?” · message ${answerId} · the second figure is an estimate`);
    expect(await chat.say(`/moderation retract ${answerId} reason: out of date`)).toBe('Retracted the answer to “How many troops has Russia amassed?”.');
    expect(await chat.say('/moderation queue')).toBe('No open reports.');
    expect(await chat.say(`/moderation retract ${answerId} reason:again`)).toBe('That answer is already retracted. /moderation unretract restores it.');
    expect(await chat.say('/moderation retract console-0-1 reason:x')).toContain('not one it has on record');

    expect(await chat.say(`/moderation suppress ${firstSentence} reason:misleading`)).toContain(`Suppressed the sentence ${firstSentence} (“Western capitals say`);
    const again = await chat.say('How many troops has Russia amassed?');
    expect(again).not.toContain('Western capitals say');
    expect(again).toContain('147,000 troops');
    expect(await chat.say('/ids')).toMatch(/^Answer console-[0-9a-z]+-2 — /);

    const log = await chat.say('/moderation log');
    // Newest first: the suppression, the retraction (closing the report), the reports.
    expect(log).toMatch(new RegExp(`· suppress · sentence ${firstSentence} · misleading\\n[\\s\\S]*· retract · ${answerId} · out of date\\n[\\s\\S]*· report · ${answerId} · the second figure is an estimate$`));
    const { code, stderr } = await chat.end();
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('a /more page and the closest passages are answers of their own, and ids never repeat across runs sharing DATA_DIR', async () => {
    const data = freshDir('cited-data-');
    const first = startConsole({ DATA_DIR: data });
    await first.say('How many troops has Russia amassed?');
    expect(await first.say('/more')).toMatch(/^> /);
    const page = await first.say('/ids');
    const pageId = /^Answer (console-[0-9a-z]+-2)/.exec(page)?.[1];
    expect(pageId).toBeDefined();
    await first.say('/report the second page');
    await first.say('troops');
    const closest = await first.say('/ids');
    expect(closest).toMatch(/^Answer console-[0-9a-z]+-3 — “troops” \(the closest passages, not an answer\)\nPassage 1:/);
    expect((await first.end()).code).toBe(0);

    const second = startConsole({ DATA_DIR: data });
    await second.say('Luhansk recorded 860 explosions');
    const secondId = /^Answer (console-[0-9a-z]+-1)/.exec(await second.say('/ids'))?.[1];
    expect(secondId).toBeDefined();
    expect(secondId!.split('-')[1]).not.toBe(pageId!.split('-')[1]);
    await second.say('/report first page');
    const queue = await second.say('/moderation queue');
    expect(queue).toContain(`message ${secondId} · first page`);
    expect(queue).toContain(`message ${pageId} · the second page`);
    expect((await second.end()).code).toBe(0);
  });
});
