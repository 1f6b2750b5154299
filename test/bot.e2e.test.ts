/**
 * The real bot process (npm start with DISCORD_TOKEN) and the real discord.js client inside it,
 * against the loopback Discord stand-in: driven the way Discord drives a bot, judged by the REST
 * calls it makes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDir, manyArticles, runScript, startScript, tempCorpus, type Started } from './helpers.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';
const STRING = 3;

let discord: DiscordStandIn;
let bot: Started;
let userCounter = 0;
/** A fresh member for each test, so the per-user cooldown of one test never touches another. */
const newUser = (): Json => ({ id: String(200000000000000000n + BigInt(++userCounter)), username: `member${userCounter}`, discriminator: '0', avatar: null, global_name: null });
const env = () => ({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl, CORPUS_DIR: undefined, COOLDOWN_QUESTIONS: '3', COOLDOWN_SECONDS: '60', LOG_LEVEL: 'info' });
const callbackOf = (id: string) => (c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300;
const ask = (question: string, extra: { name: string; type: number; value: string | boolean }[] = [], user = newUser()) =>
  discord.interaction(discord.chatInput('ask', [{ name: 'question', type: STRING, value: question }, ...extra], { user }));
async function reply(id: string): Promise<Json> {
  const call = await discord.waitForCall(callbackOf(id));
  return call.body as Json;
}

async function startBot(): Promise<Started> {
  const started = startScript('src/main.js', env());
  await started.waitFor(/connected to Discord/);
  return started;
}

beforeAll(async () => {
  discord = await startDiscordStandIn({ heartbeatInterval: 500 });
  const deploy = await runScript('src/discord/deploy-commands.js', [], { env: { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: String(discord.guilds[0]!['id']) } });
  expect(deploy.stderr).toBe('');
  bot = await startBot();
});

afterAll(async () => {
  await bot?.stop();
  await discord?.stop();
});

describe('npm run deploy-commands', () => {
  it('registers the commands in the guild when DISCORD_GUILD_ID is set', () => {
    const registered = discord.commands.get(String(discord.guilds[0]!['id']))!;
    expect(registered.map((c) => [c['name'], c['type']])).toEqual([['ask', 1], ['sources', 1], ['figures', 1], ['moderation', 1], ['help', 1], ['Find sources', 3], ['Report answer', 3]]);
    const askOptions = registered[0]!['options'] as Json[];
    expect(askOptions.map((o) => [o['name'], o['required'], o['autocomplete'] ?? false])).toEqual([['question', true, false], ['source', false, true], ['private', false, false]]);
    const sourcesSubcommands = registered[1]!['options'] as Json[];
    expect(sourcesSubcommands.map((o) => [o['name'], o['type']])).toEqual([['list', 1], ['add', 1], ['remove', 1], ['follow', 1], ['feeds', 1], ['unfollow', 1]]);
    // /sources add takes a file or an address, neither required on its own (the command says when both or neither are given),
    // and which library: the shared corpus or the server's own, as a choice.
    const addOptions = sourcesSubcommands[1]!['options'] as Json[];
    expect(addOptions.map((o) => [o['name'], o['type'], o['required']])).toEqual([['file', 11, false], ['url', 3, false], ['library', 3, false]]);
    expect((addOptions[2]!['choices'] as Json[]).map((c) => c['value'])).toEqual(['server', 'shared']);
    // Mod-only: hidden from members without Manage Messages (1 << 13), guild only.
    expect(registered[3]).toMatchObject({ default_member_permissions: '8192', contexts: [0] });
    expect(registered[0]!['default_member_permissions'] ?? null).toBe(null);
  });

  it('registers globally without DISCORD_GUILD_ID', async () => {
    const run = await runScript('src/discord/deploy-commands.js', [], { env: { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: undefined } });
    expect(run.stdout).toMatch(/Registered 7 commands globally/);
    expect(discord.commands.get('global')).toHaveLength(7);
  });
});

describe('/ask', () => {
  it('answers with an embed: block quotes, bold query words, masked-link citations, buttons, no mentions parsed', async () => {
    const body = await reply(ask('How many troops has Russia amassed?'));
    expect(body['type']).toBe(4);
    const data = body['data'] as Json;
    expect(data['flags'] ?? 0).toBe(0);
    expect(data['allowed_mentions']).toEqual({ parse: [], replied_user: false });
    const [embed] = data['embeds'] as Json[];
    expect(embed!['title']).toBe('How many troops has Russia amassed?');
    expect(embed!['description']).toContain('> Western capitals say **Russia** has **amassed** 150,000 **troops**');
    expect(embed!['description']).toContain('— [[1] NDTV, 2022-02-23](https://www.ndtv.com/');
    expect((embed!['fields'] as Json[])[0]!['name']).toBe('Sources');
    const buttons = ((data['components'] as Json[])[0]!['components'] as Json[]).map((b) => b['custom_id']);
    expect(buttons).toContain('cites:0');
  });

  it('says in the footer how a spelling was searched, true of the articles, as the console does', async () => {
    const footerOf = async (question: string) => (((await reply(ask(question)))['data'] as Json)['embeds'] as Json[])[0]!['footer']['text'] as string;
    // Newsweek writes Luhansk, the others Lugansk: both spellings are the articles'.
    expect(await footerOf('luhansk explosions')).toMatch(/^The articles spell it both “Luhansk” and “Lugansk”\.\nVerbatim quotes from /);
    // No spelling to speak of: the footer is as before.
    expect(await footerOf('How many troops has Russia amassed?')).toMatch(/^Verbatim quotes from [^\n]* · Cited writes no text of its own$/);
  });

  it('answers privately with private:true (ephemeral flag)', async () => {
    const body = await reply(ask('Lugansk explosions', [{ name: 'private', type: 5, value: true }]));
    expect((body['data'] as Json)['flags']).toBe(64);
  });

  it('quotes only the chosen source, and says so when the id is unknown', async () => {
    const only = await reply(ask('troops', [{ name: 'source', type: STRING, value: '003_67a18a0e446c63d1' }]));
    const fields = ((only['data'] as Json)['embeds'] as Json[])[0]!['fields'] as Json[];
    expect(fields[0]!['value']).toContain('Rashtranews');
    expect(fields[0]!['value']).not.toContain('NDTV');
    const unknown = await reply(ask('troops', [{ name: 'source', type: STRING, value: 'nope' }]));
    expect(unknown['data']).toMatchObject({ flags: 64, content: expect.stringContaining('No article has the id, outlet or link "nope"') });
  });

  it('takes an outlet name (any letter case) or an article link as the source, like an id', async () => {
    for (const value of ['rashtranews', 'RashtraNews', 'https://www.rashtranews.com/vladimir-putin-mulls-independence-of-separatist-ukraine-regions-world-news']) {
      const only = await reply(ask('troops', [{ name: 'source', type: STRING, value }]));
      const fields = ((only['data'] as Json)['embeds'] as Json[])[0]!['fields'] as Json[];
      expect(fields[0]!['value']).toContain('Rashtranews');
      expect(fields[0]!['value']).not.toContain('NDTV');
    }
  });

  it('says the corpus does not cover an unanswerable question', async () => {
    const body = await reply(ask('What is the capital of Australia?'));
    const [embed] = (body['data'] as Json)['embeds'] as Json[];
    expect(embed!['description']).toContain('No passage in the articles answers this');
    expect(embed!['description']).toContain('`australia`');
  });

  it('refuses a 6,000-character question with a clear private message', async () => {
    const question = 'How many troops'.padEnd(6000, ' troops');
    expect(question).toHaveLength(6000);
    const body = await reply(ask(question));
    expect(body['data']).toMatchObject({ flags: 64, content: expect.stringContaining('6,000 characters long; the limit is 4,000') });
  });

  it.each([
    ['   ', /Ask a question/],
    ['🙂🙂🙂', /no words to search for/],
    ['what is it?', /only common words/],
  ])('answers %j with a private explanation', async (question, message) => {
    const body = await reply(ask(question));
    expect(body['data']).toMatchObject({ flags: 64, content: expect.stringMatching(message) });
  });

  it('never pings: a question with @everyone and a role mention goes out with allowed_mentions parse []', async () => {
    const body = await reply(ask('@everyone <@&123456789012345678> how many troops has Russia amassed?'));
    const data = body['data'] as Json;
    expect(data['allowed_mentions']).toEqual({ parse: [], replied_user: false });
    expect(((data['embeds'] as Json[])[0]!['title'] as string)).toContain('@everyone');
  });

  it('stops floods with a per-user cooldown that says when to try again', async () => {
    const user = newUser();
    for (let i = 0; i < 3; i++) expect((await reply(ask('Kiev', [], user)))['data']).not.toHaveProperty('content');
    const fourth = await reply(ask('Kiev', [], user));
    expect(fourth['data']).toMatchObject({ flags: 64, content: expect.stringMatching(/Try again in \d+ s/) });
    // Another member is not held back.
    expect((await reply(ask('Kiev')))['data']).toHaveProperty('embeds');
  });
});

describe('other commands', () => {
  it('/sources lists every article with outlet, date, link and sentence count', async () => {
    const id = discord.interaction(discord.chatInput('sources', [], { user: newUser() }));
    const [embed] = ((await reply(id))['data'] as Json)['embeds'] as Json[];
    expect(embed!['title']).toBe('5 articles in the corpus');
    const fields = embed!['fields'] as Json[];
    expect(fields.map((f) => f['name'])).toContain('NDTV · 2022-02-23');
    expect(fields.map((f) => f['name'])).toContain('unknown outlet · date unknown');
    expect(fields[0]!['value']).toMatch(/\[ProRussian Leaders.*\]\(https:\/\/www\.ndtv\.com.*\n\d+ sentences · id `000_138185aca57c1631`/);
  });

  it('/figures shows each value with its quote and source, says where sources disagree, and attaches a bar chart', async () => {
    const id = discord.interaction(discord.chatInput('figures', [{ name: 'topic', type: STRING, value: 'troops' }], { user: newUser() }));
    const call = await discord.waitForCall(callbackOf(id));
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data/);
    const data = (call.body as Json)['data'] as Json;
    expect(call.body.files).toEqual([{ field: 'files[0]', name: 'figures-troop.png', size: expect.any(Number), contentType: expect.any(String) }]);
    expect(call.body.files[0].size).toBeGreaterThan(1000);
    const [embed] = data['embeds'] as Json[];
    expect(embed!['title']).toBe('Figures on “troops”');
    expect(embed!['image']).toEqual({ url: 'attachment://figures-troop.png' });
    const fields = embed!['fields'] as Json[];
    expect(fields.map((f) => f['name'])).toEqual(['troops (5)', 'troops (continued)']);
    const text = fields.map((f) => f['value'] as string).join('\n');
    expect(text).toContain('**Sources disagree: 150,000 (NDTV, according to Western capitals; Rashtranews, an estimate) against 147,000');
    expect(text).toContain('**147,000** — [Rashtranews, 2022-02-21](https://www.rashtranews.com/');
    expect(text).toMatch(/> …?.*amassed \*\*147,000\*\* troops around Ukraine/);
    for (const value of ['150,000', 'an estimated 150,000', '147,000', 'Tens of thousands', '9,000']) expect(text).toContain(`**${value}**`);
    for (const f of fields) expect((f['value'] as string).length).toBeLessThanOrEqual(1024);
  });

  it('/figures without a topic gives an overview, pages with its buttons, and autocompletes subjects', async () => {
    const id = discord.interaction(discord.chatInput('figures', [], { user: newUser() }));
    const message = ((await discord.waitForCall(callbackOf(id))).response as Json)['resource']['message'] as Json;
    expect((message['embeds'] as Json[])[0]!['title']).toBe('What the figures in the articles count');
    // The bundled corpus fits one page: a press on "Next" (from an older, longer list) shows the last page.
    const next = await reply(discord.interaction(discord.button('figs:1', String(message['id']), { user: newUser() })));
    expect(next['type']).toBe(7);
    expect(((next['data'] as Json)['embeds'] as Json[])[0]!['footer']).toEqual({ text: 'Page 1 of 1 · Cited writes no text of its own' });
    const complete = await reply(discord.interaction(discord.autocomplete('figures', [{ name: 'topic', type: STRING, value: 'expl', focused: true }], { user: newUser() })));
    expect(complete).toEqual({ type: 8, data: { choices: [{ name: 'explosions (4 figures)', value: 'explosions' }] } });
  });

  it('/sources pages with its buttons by updating the message', async () => {
    const id = discord.interaction(discord.chatInput('sources', [], { user: newUser() }));
    const message = ((await discord.waitForCall(callbackOf(id))).response as Json)['resource']['message'] as Json;
    const body = await reply(discord.interaction(discord.button('sources:0', String(message['id']), { user: newUser() })));
    expect(body['type']).toBe(7);
    expect(((body['data'] as Json)['embeds'] as Json[])[0]!['footer']).toEqual({ text: 'Page 1 of 1 · /ask quotes only from these articles' });
  });

  it('an unknown command or an unhandled interaction never takes the bot down', async () => {
    const body = await reply(discord.interaction(discord.chatInput('nosuch', [], { user: newUser() })));
    expect(body['data']).toMatchObject({ flags: 64, content: 'There is no command /nosuch. Type /help to see the commands.' });
    discord.interaction(discord.modalSubmit('report', { reason: 'x' }, { user: newUser() }));
    expect((await reply(ask('Kiev')))['type']).toBe(4);
    expect(bot.child.exitCode).toBe(null);
  });

  it('/help answers privately', async () => {
    const body = await reply(discord.interaction(discord.chatInput('help', [], { user: newUser() })));
    expect((body['data'] as Json)['flags']).toBe(64);
    expect((((body['data'] as Json)['embeds'] as Json[])[0]!['description'] as string)).toContain('/ask');
  });

  it('autocompletes the source option from the corpus', async () => {
    const id = discord.interaction(discord.autocomplete('ask', [{ name: 'question', type: STRING, value: 'x' }, { name: 'source', type: STRING, value: 'ndtv', focused: true }], { user: newUser() }));
    const body = await reply(id);
    expect(body).toEqual({ type: 8, data: { choices: [{ name: 'NDTV · 2022-02-23 — ProRussian Leaders In Ukraine Ask Putin For Military Against Kyiv', value: '000_138185aca57c1631' }] } });
  });
});

describe('"Find sources" on a member’s message', () => {
  it('replies with the quotes that bear on the claim', async () => {
    const target = discord.buildMessage({ content: 'Russia has 150,000 troops on the border!', author: newUser() });
    const body = await reply(discord.interaction(discord.messageCommand('Find sources', target, { user: newUser() })));
    const [embed] = (body['data'] as Json)['embeds'] as Json[];
    expect(embed!['title']).toBe('Sources on: “Russia has 150,000 troops on the border!”');
    expect(embed!['description']).toContain('150,000');
  });

  it('says so when the claim is not covered, or the message has no text', async () => {
    const uncovered = discord.buildMessage({ content: 'The moon landing was filmed in a studio', author: newUser() });
    const [embed] = ((await reply(discord.interaction(discord.messageCommand('Find sources', uncovered, { user: newUser() }))))['data'] as Json)['embeds'] as Json[];
    expect(embed!['description']).toContain('No passage in the articles answers this');
    const empty = discord.buildMessage({ content: '', author: newUser() });
    const body = await reply(discord.interaction(discord.messageCommand('Find sources', empty, { user: newUser() })));
    expect(body['data']).toMatchObject({ flags: 64, content: expect.stringContaining('no text to check') });
  });
});

describe('mentions and DMs', () => {
  const replyTo = (messageId: string) => discord.waitForCall((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path) && (c.body as Json)?.['message_reference']?.['message_id'] === messageId);

  it('answers a message that mentions the bot, replying without pinging anyone', async () => {
    const message = discord.message({ content: 'how many explosions were recorded in Luhansk?', author: newUser() }, { mentionBot: true });
    const call = await replyTo(String(message['id']));
    expect(call.body['allowed_mentions']).toEqual({ parse: [], replied_user: false });
    expect(call.body['embeds'][0]['description'].replace(/\*\*/g, '')).toContain('Luhansk recorded 860 explosions');
    expect(call.body['embeds'][0]['title']).toBe('how many explosions were recorded in Luhansk?');
  });

  it('answers a DM', async () => {
    const message = discord.message({ content: 'What did Peskov say?', author: newUser() }, { dm: true });
    const call = await replyTo(String(message['id']));
    expect(call.body['embeds'][0]['description']).toContain('Peskov');
  });

  it('explains an empty mention instead of ignoring it', async () => {
    const message = discord.message({ content: '', author: newUser() }, { mentionBot: true });
    const call = await replyTo(String(message['id']));
    expect(call.body['content']).toMatch(/Ask a question/);
  });
});

describe('buttons', () => {
  async function postedAnswer(question: string): Promise<Json> {
    const id = ask(question);
    const call = await discord.waitForCall(callbackOf(id));
    return (call.response as Json)['resource']['message'] as Json;
  }

  it('"More excerpts" sends the next page privately; "Sources" lists the cited articles privately', async () => {
    const message = await postedAnswer('Putin recognised independence of the separatist regions');
    const ids = ((message['components'] as Json[])[0]!['components'] as Json[]).map((b) => b['custom_id']);
    expect(ids).toEqual(['more:3', 'cites:0', 'report']);
    const more = await reply(discord.interaction(discord.button('more:3', String(message['id']), { user: newUser() })));
    expect((more['data'] as Json)['flags']).toBe(64);
    const firstPage = (message['embeds'] as Json[])[0]!['description'] as string;
    const nextPage = ((more['data'] as Json)['embeds'] as Json[])[0]!['description'] as string;
    expect(nextPage.split('\n').filter((l) => l.startsWith('> ')).every((quote) => !firstPage.includes(quote))).toBe(true);
    const cites = await reply(discord.interaction(discord.button('cites:0', String(message['id']), { user: newUser() })));
    expect((cites['data'] as Json)['flags']).toBe(64);
    expect(((cites['data'] as Json)['embeds'] as Json[])[0]!['title']).toBe('Sources cited');
  });

  it('refuses a crafted button privately', async () => {
    const message = await postedAnswer('Kiev');
    const body = await reply(discord.interaction(discord.button('delete:everything', String(message['id']), { user: newUser() })));
    expect(body['data']).toMatchObject({ flags: 64, content: expect.stringContaining('not one of Cited’s') });
  });

  it('on an old message (after a restart) pages from the question in the title, or says it is too old', async () => {
    const message = await postedAnswer('Putin recognised independence of the separatist regions');
    await bot.stop();
    bot = await startBot();
    const more = await reply(discord.interaction(discord.button('more:3', String(message['id']), { user: newUser() })));
    expect(((more['data'] as Json)['embeds'] as Json[])[0]!['title']).toBe('Putin recognised independence of the separatist regions');
    const cut = discord.buildMessage({ author: discord.botUser, embeds: [{ title: 'A question far too long to keep whole in a title…', description: 'x' }] });
    const old = await reply(discord.interaction(discord.button('more:3', cut, { user: newUser() })));
    expect(old['data']).toMatchObject({ flags: 64, content: expect.stringContaining('too old to page') });
  });
});

describe('Discord failures', () => {
  it('a REST call answered 500 once is retried and the answer arrives', async () => {
    discord.failNext({ method: 'POST', pathIncludes: '/callback' }, { status: 500 });
    const body = await reply(ask('Lugansk explosions'));
    expect(body['type']).toBe(4);
  });

  it('a REST call that keeps failing 500 is logged, and the bot keeps answering', async () => {
    discord.failNext({ method: 'POST', pathIncludes: '/callback', times: 8 }, { status: 500 });
    const failed = ask('Lugansk explosions');
    // The answer fails (1 try + 3 retries), then so does the error notice: both are logged.
    await bot.waitFor(new RegExp(`"interaction":"${failed}"[^\\n]*"msg":"request failed"`));
    await bot.waitFor(new RegExp(`"interaction":"${failed}"[^\\n]*"msg":"could not tell the user about an error"`));
    expect(discord.calls.filter((c) => c.path.startsWith(`/interactions/${failed}/`)).map((c) => c.status)).toEqual([500, 500, 500, 500, 500, 500, 500, 500]);
    expect(bot.child.exitCode).toBe(null);
    const body = await reply(ask('How many troops has Russia amassed?'));
    expect(body['type']).toBe(4);
  });

  it('a 429 makes the bot wait Retry-After and retry', async () => {
    discord.failNext({ method: 'POST', pathIncludes: '/callback' }, { status: 429, retryAfter: 0.5 });
    const id = ask('Zelensky security guarantees');
    const body = await reply(id);
    expect(body['type']).toBe(4);
    const attempts = discord.calls.filter((c) => c.path.startsWith(`/interactions/${id}/`));
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
  });

  it('the gateway closing mid-session: the bot resumes and keeps answering', async () => {
    const resumes = discord.resumes;
    discord.closeSocket(4000);
    await discord.waitForGateway((e) => e.dir === 'out' && e.t === 'RESUMED', 10_000);
    expect(discord.resumes).toBe(resumes + 1);
    expect((await reply(ask('Kiev')))['type']).toBe(4);
  });

  it('a session Discord invalidates: the bot identifies again and keeps answering', async () => {
    const identifies = discord.identifies;
    discord.invalidateSession(false);
    await discord.waitForGateway((e) => e.dir === 'in' && e.op === 2 && e.at > Date.now() - 100, 15_000);
    expect(discord.identifies).toBe(identifies + 1);
    expect((await reply(ask('Donbas war')))['type']).toBe(4);
  });
});

describe('start-up and shutdown', () => {
  it('stops on SIGTERM, logging it, with exit code 0', async () => {
    const code = await bot.stop('SIGTERM');
    expect(code).toBe(0);
    expect(bot.output()).toMatch(/"msg":"shutting down"/);
    bot = await startBot();
  });

  it('logs its start-up phases with their timings, and starts from the index snapshot the second time', async () => {
    const files = manyArticles(120);
    const phases = { ...env(), CORPUS_DIR: tempCorpus(files), DATA_DIR: freshDir('cited-data-') };
    const logged = (output: string) => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const first = startScript('src/main.js', phases);
    await first.waitFor(/connected to Discord/);
    expect(await first.stop()).toBe(0);
    const lines = logged(first.output());
    const analysing = lines.filter((l) => l['msg'] === 'analysing articles');
    expect(analysing.map((l) => [l['done'], l['total']])).toEqual([[0, 120], [30, 120], [60, 120], [90, 120], [120, 120]]);
    for (const l of analysing) expect(l['ms']).toEqual(expect.any(Number));
    const loaded = lines.find((l) => l['msg'] === 'corpus and store loaded')!;
    expect(loaded).toMatchObject({ articles: 120, index: 'corpus', store: 'sqlite', ms: expect.any(Number) });
    expect(lines.find((l) => l['msg'] === 'connected to Discord')).toMatchObject({ ms: expect.any(Number) });
    // The order of the phases: analysis, then the corpus loaded, then Discord.
    const order = lines.map((l) => l['msg']).filter((m) => m === 'analysing articles' || m === 'corpus and store loaded' || m === 'connected to Discord');
    expect(order.slice(-2)).toEqual(['corpus and store loaded', 'connected to Discord']);

    const second = startScript('src/main.js', phases);
    await second.waitFor(/connected to Discord/);
    expect(await second.stop()).toBe(0);
    const again = logged(second.output());
    expect(again.filter((l) => l['msg'] === 'analysing articles')).toEqual([]);
    expect(again.find((l) => l['msg'] === 'corpus and store loaded')).toMatchObject({ articles: 120, index: 'snapshot' });
  }, 60_000);

  it('deploy-commands without a token says which variable is missing', async () => {
    const run = await runScript('src/discord/deploy-commands.js', [], { env: { DISCORD_TOKEN: undefined } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Configuration DISCORD_TOKEN: is not set');
  });

  it.each([
    ['DISCORD_TOKEN', { DISCORD_TOKEN: 'not a token' }],
    ['DISCORD_API_URL', { DISCORD_API_URL: 'nowhere' }],
    ['COOLDOWN_SECONDS', { COOLDOWN_SECONDS: '-1' }],
    ['DISCORD_REQUESTS_PER_SECOND', { DISCORD_REQUESTS_PER_SECOND: 'fast' }],
  ])('refuses a malformed %s with a message naming it', async (name, overrides) => {
    const run = await runScript('src/main.js', [], { env: { ...env(), ...overrides } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Configuration ${name}:`);
  });
});
