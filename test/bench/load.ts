/**
 * `npm run bench:load [-- --interactions N --burst B]`: the real bot process under load through the
 * Discord stand-in. N /ask interactions (default 2,000) from as many members, sent in bursts of B
 * (default 100) as fast as the socket takes them; reports how many were acknowledged within
 * Discord's 3-second window, how many were lost, and the acknowledgement latency p50/p99/max.
 */
import { parseArgs } from 'node:util';
import { startDiscordStandIn, type RestCall } from '../discord/stand-in.js';
import { freshDir, startScript } from '../helpers.js';

const { values } = parseArgs({ options: { interactions: { type: 'string', default: '2000' }, burst: { type: 'string', default: '100' }, json: { type: 'boolean' } } });
const total = Number(values.interactions);
const burst = Number(values.burst);
const questions = ['How many troops has Russia amassed?', 'Lugansk explosions', 'What did Peskov say?', 'Kiev', 'state of emergency', 'What is the capital of Australia?'];

const discord = await startDiscordStandIn({ heartbeatInterval: 5000 });
const bot = startScript('src/main.js', { DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token', DISCORD_API_URL: discord.apiUrl, DATA_DIR: freshDir('cited-load-'), LOG_LEVEL: 'warn', COOLDOWN_QUESTIONS: '5' });
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
const latencies = [...firstResponse].filter(([, c]) => c.status < 300).map(([id, c]) => c.at - sentAt.get(id)!).sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? null;
const report = {
  interactions: total,
  burst,
  seconds_to_send: (Date.now() - started) / 1000,
  acknowledged_within_3s: latencies.filter((ms) => ms <= 3000).length,
  lost: total - latencies.length,
  ack_p50_ms: pct(0.5),
  ack_p99_ms: pct(0.99),
  ack_max_ms: latencies.at(-1) ?? null,
};
process.stdout.write(values.json ? JSON.stringify(report) + '\n' : `${Object.entries(report).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`);
await bot.stop();
await discord.stop();
