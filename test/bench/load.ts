/**
 * `npm run bench:load [-- --interactions N --burst B --requests-per-second R]`: the real bot process under load through the
 * Discord stand-in. N /ask interactions (default 2,000) from as many members, sent in bursts of B
 * (default 100) as fast as the socket takes them; reports how many were acknowledged within
 * Discord's 3-second window, how many were lost, the acknowledgement latency p50/p99/max, and how
 * many answers were delivered (deferred ones edited in) within two minutes, with their latency.
 */
import { parseArgs } from 'node:util';
import { startDiscordStandIn, type RestCall } from '../discord/stand-in.js';
import { freshDir, startScript } from '../helpers.js';

const { values } = parseArgs({
  options: { interactions: { type: 'string', default: '2000' }, burst: { type: 'string', default: '100' }, 'requests-per-second': { type: 'string', default: '50' }, json: { type: 'boolean' } },
});
const total = Number(values.interactions);
const burst = Number(values.burst);
const questions = ['How many troops has Russia amassed?', 'Lugansk explosions', 'What did Peskov say?', 'Kiev', 'state of emergency', 'What is the capital of Australia?'];

const discord = await startDiscordStandIn({ heartbeatInterval: 5000 });
const bot = startScript('src/main.js', { DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token', DISCORD_API_URL: discord.apiUrl, DATA_DIR: freshDir('cited-load-'), LOG_LEVEL: 'warn', COOLDOWN_QUESTIONS: '5', DISCORD_REQUESTS_PER_SECOND: values['requests-per-second'] });
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
};
process.stdout.write(values.json ? JSON.stringify(report) + '\n' : `${Object.entries(report).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('\n')}\n`);
await bot.stop();
await discord.stop();
