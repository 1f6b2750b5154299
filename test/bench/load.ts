/**
 * `npm run bench:load [-- --interactions N --burst B --requests-per-second R --add-article-mib M --add-asks-per-second A]`:
 * the real bot process under load through the Discord stand-in, in two phases.
 *
 * 1. A burst: N /ask interactions (default 2,000) from as many members, sent in bursts of B
 *    (default 100) as fast as the socket takes them; reports how many were acknowledged within
 *    Discord's 3-second window, how many were lost, the acknowledgement latency p50/p99/max, and how
 *    many answers were delivered (deferred ones edited in) within two minutes, with their latency.
 * 2. During an add (`during_add`): a moderator adds an article of M MiB (default 5; generated
 *    news-like sentences, served as the attachment from a local HTTP server as Discord's CDN would)
 *    with `/sources add`, while members keep asking, A /ask a second (default 20), until the add is
 *    answered; reports the article's size, how long the add took, and the acknowledgement latency
 *    of those questions. `--add-article-mib 0` skips this phase.
 *
 * The bot runs over a copy of the bundled corpus, so the add never touches the project's own.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startDiscordStandIn, type Json, type RestCall } from '../discord/stand-in.js';
import { freshDir, startScript, tempCorpus } from '../helpers.js';
import { generateArticle } from './generate.js';

const { values } = parseArgs({
  options: {
    interactions: { type: 'string', default: '2000' },
    burst: { type: 'string', default: '100' },
    'requests-per-second': { type: 'string', default: '50' },
    'add-article-mib': { type: 'string', default: '5' },
    'add-asks-per-second': { type: 'string', default: '20' },
    json: { type: 'boolean' },
  },
});
const total = Number(values.interactions);
const burst = Number(values.burst);
const addBytes = Math.floor(Number(values['add-article-mib']) * 1024 * 1024);
const addAsksPerSecond = Number(values['add-asks-per-second']);
const questions = ['How many troops has Russia amassed?', 'Lugansk explosions', 'What did Peskov say?', 'Kiev', 'state of emergency', 'What is the capital of Australia?'];
/** The member who adds the article: Manage Messages, and listed in CORPUS_ADMINS (who may change the shared corpus). */
const ADMIN = { id: '700000000000000001', username: 'corpus-admin', discriminator: '0', avatar: null, global_name: null };
const MANAGE_MESSAGES = String(1 << 13);

const discord = await startDiscordStandIn({ heartbeatInterval: 5000 });
const bot = startScript('src/main.js', {
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token',
  DISCORD_API_URL: discord.apiUrl,
  DATA_DIR: freshDir('cited-load-'),
  CORPUS_DIR: tempCorpus({}, true),
  CORPUS_ADMINS: ADMIN.id,
  LOG_LEVEL: 'warn',
  COOLDOWN_QUESTIONS: '5',
  DISCORD_REQUESTS_PER_SECOND: values['requests-per-second'],
});
await discord.ready;
await new Promise((r) => setTimeout(r, 1500)); // let the client finish its start-up work

const sentAt = new Map<string, number>();
const started = Date.now();
for (let i = 0; i < total; i += burst) {
  for (let k = i; k < Math.min(total, i + burst); k++) {
    const user = { id: String(500000000000000000n + BigInt(k)), username: `load${k}`, discriminator: '0', avatar: null, global_name: null };
    const id = discord.interaction(discord.chatInput('ask', [{ name: 'question', type: 3, value: questions[k % questions.length]! }], { user }));
    sentAt.set(id, Date.now());
  }
  await new Promise((r) => setImmediate(r));
}
// Wait until every interaction has its first response, or 10 s after the last was sent.
const deadline = Date.now() + 10_000;
const firstResponse = new Map<string, RestCall>();
while (Date.now() < deadline && firstResponse.size < total) {
  for (const call of discord.calls) {
    const match = /^\/interactions\/(\d+)\//.exec(call.path);
    if (match && sentAt.has(match[1]!) && !firstResponse.has(match[1]!)) firstResponse.set(match[1]!, call);
  }
  await new Promise((r) => setTimeout(r, 100));
}
const acknowledgedBy = Date.now();
const latencies = [...firstResponse].filter(([, c]) => c.status < 300).map(([id, c]) => c.at - sentAt.get(id)!).sort((a, b) => a - b);

// Then every answer: a deferred interaction is answered when its message is edited in; a reply answers at once.
const tokenToId = new Map([...sentAt.keys()].map((id) => [discord.tokenOf(id), id]));
const answeredAt = new Map<string, number>();
const answerDeadline = Date.now() + 120_000;
while (Date.now() < answerDeadline && answeredAt.size < total) {
  for (const call of discord.calls) {
    if (call.status >= 300) continue;
    const reply = /^\/interactions\/(\d+)\//.exec(call.path);
    if (reply && call.body?.type === 4 && sentAt.has(reply[1]!)) answeredAt.set(reply[1]!, call.at);
    const edit = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(call.path);
    const id = edit && call.method === 'PATCH' ? tokenToId.get(edit[1]!) : undefined;
    if (id !== undefined && !answeredAt.has(id)) answeredAt.set(id, call.at);
  }
  await new Promise((r) => setTimeout(r, 200));
}
const answerTimes = [...answeredAt].map(([id, at]) => at - sentAt.get(id)!).sort((a, b) => a - b);
const pctOf = (list: number[], p: number) => list[Math.min(list.length - 1, Math.floor(p * list.length))] ?? null;
const pct = (p: number) => pctOf(latencies, p);
const statuses: Record<string, number> = {};
for (const call of discord.calls) {
  const route = call.path.replace(/\d{15,}/g, ':id').replace(/stand-in-token[^/]+/g, ':token');
  const key = `${call.method} ${route} ${call.status}`;
  statuses[key] = (statuses[key] ?? 0) + 1;
}
const duringAdd = addBytes > 0 ? await measureDuringAdd() : null;
const report = {
  interactions: total,
  burst,
  seconds_to_acknowledge_all: (acknowledgedBy - started) / 1000,
  acknowledged_within_3s: latencies.filter((ms) => ms <= 3000).length,
  lost: total - latencies.length,
  ack_p50_ms: pct(0.5),
  ack_p99_ms: pct(0.99),
  ack_max_ms: latencies.at(-1) ?? null,
  answered: answerTimes.length,
  answer_p50_ms: pctOf(answerTimes, 0.5),
  answer_p99_ms: pctOf(answerTimes, 0.99),
  answer_max_ms: answerTimes.at(-1) ?? null,
  calls: statuses,
  ...(duringAdd ? { during_add: duringAdd } : {}),
};
// Text: one line a figure; the during-add block's figures as `during_add.<name>`.
const lines = Object.entries(report).flatMap(([k, v]) =>
  k === 'during_add' ? Object.entries(v as object).map(([sub, w]) => `${k}.${sub}: ${w}`) : [`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`],
);
process.stdout.write(values.json ? JSON.stringify(report) + '\n' : `${lines.join('\n')}\n`);
await bot.stop();
await discord.stop();

/**
 * Phase 2: `/sources add` of a generated article while members ask. The questions start with the
 * add and stop once it is answered (at least ten are sent, so a quick add still has figures); each
 * is judged by its first response, as in phase 1.
 */
async function measureDuringAdd() {
  const article = Buffer.from(generateArticle(addBytes));
  const files = createServer((req, res) => {
    if (req.url === '/dispatch.txt') res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': article.length }).end(article);
    else res.writeHead(404).end();
  }).listen(0, '127.0.0.1');
  await new Promise((r) => files.once('listening', r));
  const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/dispatch.txt`;
  const from = discord.calls.length;
  const payload = discord.chatInput('sources', [{ name: 'add', type: 1, options: [{ name: 'file', type: 11, value: '900' }] }]);
  const data = { ...(payload['data'] as Json), resolved: { attachments: { '900': { id: '900', filename: 'generated-dispatch.txt', size: article.length, url, proxy_url: url, content_type: 'text/plain' } } } };
  const member = { user: ADMIN, roles: [], permissions: MANAGE_MESSAGES, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null, communication_disabled_until: null };
  const addStarted = Date.now();
  const addId = discord.interaction({ ...payload, data, member });
  const addToken = discord.tokenOf(addId);
  // The add's outcome: its reply, or the edit of its deferral, or (after an error) a follow-up; or
  // lost, when its first response came after Discord's window (the moderator never hears back,
  // though the article may well have been added).
  const addOutcome = (): { at: number; text: string | null } | null => {
    for (const call of discord.calls.slice(from)) {
      const callback = call.path.startsWith(`/interactions/${addId}/`);
      if (callback && call.status === 404) return { at: call.at, text: null };
      if (call.status >= 300) continue;
      if (callback && call.body?.type === 4) return { at: call.at, text: String(call.body['data']?.['content'] ?? '') };
      if (call.path.startsWith(`/webhooks/`) && call.path.includes(`/${addToken}`) && (call.method === 'PATCH' || call.method === 'POST')) return { at: call.at, text: String(call.body?.['content'] ?? '') };
    }
    return null;
  };
  const asked = new Map<string, number>();
  let outcome: { at: number; text: string | null } | null = null;
  const addDeadline = addStarted + 3 * 60_000;
  for (let k = 0; Date.now() < addDeadline && ((outcome = addOutcome()) === null || k < 10); k++) {
    const user = { id: String(600000000000000000n + BigInt(k)), username: `asker${k}`, discriminator: '0', avatar: null, global_name: null };
    asked.set(discord.interaction(discord.chatInput('ask', [{ name: 'question', type: 3, value: questions[k % questions.length]! }], { user })), Date.now());
    await new Promise((r) => setTimeout(r, 1000 / addAsksPerSecond));
  }
  // Every question's first response, or 10 s after the last was sent.
  const ackDeadline = Date.now() + 10_000;
  const acked = new Map<string, number>();
  while (Date.now() < ackDeadline && acked.size < asked.size) {
    for (const call of discord.calls.slice(from)) {
      const match = /^\/interactions\/(\d+)\//.exec(call.path);
      if (match && asked.has(match[1]!) && !acked.has(match[1]!) && call.status < 300) acked.set(match[1]!, call.at - asked.get(match[1]!)!);
    }
    if (acked.size < asked.size) await new Promise((r) => setTimeout(r, 100));
  }
  files.close();
  // No answer to the add is a finding in itself: show what the bot logged (warnings and errors).
  if (outcome?.text == null) process.stderr.write(`the add was ${outcome ? 'lost (acknowledged too late)' : `not answered within ${Math.round((Date.now() - addStarted) / 1000)} s`}; the bot's log:\n${bot.output().slice(0, 6000)}\n`);
  const acks = [...acked.values()].sort((a, b) => a - b);
  return {
    article_bytes: article.length,
    // Until the moderator was answered (or the add was lost: add_reply null).
    add_ms: outcome ? outcome.at - addStarted : null,
    add_reply: outcome?.text ?? null,
    asks: asked.size,
    asks_per_second: addAsksPerSecond,
    acknowledged_within_3s: acks.filter((ms) => ms <= 3000).length,
    lost: asked.size - acks.length,
    ack_p50_ms: pctOf(acks, 0.5),
    ack_p99_ms: pctOf(acks, 0.99),
    ack_max_ms: acks.at(-1) ?? null,
  };
}
