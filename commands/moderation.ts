/**
 * /moderation: the moderators' desk. Every subcommand checks the caller's right on the server
 * side (Moderation.requireModerator), whatever Discord showed them.
 */
import type { Command, CommandContext, CommandInput, Reply } from './command.js';
import type { Moderation } from '../src/moderation/moderation.js';
import { text } from './command.js';
import { citedError } from '../src/core/errors.js';

const when = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
const limitOf = (input: CommandInput, fallback: number) => Math.min(Math.max(typeof input.limit === 'number' ? input.limit : fallback, 1), 50);
const reasonOption = { name: 'reason', description: 'Why (kept in the audit log)', type: 'string', required: true, maxLength: 500, freeText: true, hint: 'why' } as const;
const messageOption = { name: 'message', description: 'The answer’s message id (in the console: its answer id)', type: 'string', required: true, hint: 'answer id' } as const;
const limitOption = (fallback: number) => ({ name: 'limit', description: `How many (default ${fallback}, at most 50)`, type: 'integer', min: 1, max: 50 }) as const;

export const moderation: Command = {
  name: 'moderation',
  description: 'Moderators: reports, retractions, suppressed excerpts and sources, the audit log, coverage gaps',
  example: '/moderation queue',
  moderatorsOnly: true,
  options: [],
  defaultSubcommand: 'queue',
  subcommands: [
    { name: 'queue', description: 'Open reports, newest first', options: [] },
    { name: 'retract', description: 'Turn an answer into a retraction notice (the record stays)', options: [messageOption, reasonOption] },
    { name: 'unretract', description: 'Restore a retracted answer', options: [messageOption] },
    { name: 'suppress', description: 'Never quote a sentence (its id) or a whole source (an article id) in this server', options: [{ name: 'target', description: 'A sentence id (article#hash) or an article id', type: 'string', required: true, hint: 'sentence or article id' }, reasonOption] },
    { name: 'unsuppress', description: 'Quote a suppressed sentence or source again', options: [{ name: 'target', description: 'As given to /moderation suppress', type: 'string', required: true, hint: 'sentence or article id' }] },
    { name: 'suppressed', description: 'What is suppressed in this server', options: [] },
    {
      name: 'channel',
      description: "Where this server's reports are posted for its moderators: show it, set it, or turn it off",
      options: [
        { name: 'channel', description: 'The channel to post reports in', type: 'channel' },
        { name: 'off', description: 'Post reports nowhere (they wait in /moderation queue)', type: 'boolean' },
      ],
    },
    { name: 'log', description: 'The audit log, newest first', options: [limitOption(15)] },
    { name: 'gaps', description: 'Questions the corpus could not answer here, most asked first', options: [limitOption(15)] },
  ],
  async run(input, { moderation, who, cited, reviewChannels }): Promise<Reply> {
    if (!moderation || !who) throw citedError('MODERATION_UNAVAILABLE');
    const reason = text(input, 'reason');
    switch (input.subcommand ?? 'queue') {
      case 'queue': {
        const queue = await moderation.queue(who);
        const lines = queue.map(({ report, answer }) => {
          const reasons = report.reporters.map((r) => r.reason).filter(Boolean).join('; ');
          return `#${report.id} · ${report.reporters.length} report${report.reporters.length === 1 ? '' : 's'} · “${answer?.question ?? '?'}” · message ${report.answerId}${reasons ? ` · ${reasons}` : ''}`;
        });
        return { kind: 'list', title: 'Open reports', lines, empty: 'No open reports.', private: true };
      }
      case 'retract': {
        const record = await moderation.retract(requireText(input, 'message'), { ...who, reason: reason ?? null });
        return { kind: 'notice', text: `Retracted the answer to “${record.question}”.`, private: true };
      }
      case 'unretract': {
        const record = await moderation.unretract(requireText(input, 'message'), who);
        return { kind: 'notice', text: `Restored the answer to “${record.question}”.`, private: true };
      }
      case 'suppress': {
        const target = requireText(input, 'target');
        const done = await moderation.suppress(target, { ...who, reason: reason ?? 'no reason given' });
        return { kind: 'notice', text: `Suppressed ${describeTarget(cited, done.kind, target)} in this server. It will not be quoted here again.`, private: true };
      }
      case 'unsuppress': {
        const target = requireText(input, 'target');
        await moderation.unsuppress(target, who);
        return { kind: 'notice', text: `${target} can be quoted again.`, private: true };
      }
      case 'suppressed': {
        const all = await moderation.suppressed(who);
        const lines = all.map((s) => `${describeTarget(cited, s.kind, s.target)} · by ${s.by} · ${when(s.at)} · ${s.reason}`);
        return { kind: 'list', title: 'Suppressed in this server', lines, empty: 'Nothing is suppressed.', private: true };
      }
      case 'channel':
        return reviewChannel(input, { moderation, who, reviewChannels });
      case 'log': {
        const entries = await moderation.log(who, limitOf(input, 15));
        const lines = entries.map((e) => `${when(e.at)} · ${e.actorId} · ${e.action} · ${e.target}${e.reason ? ` · ${e.reason}` : ''}`);
        return { kind: 'list', title: 'Audit log', lines, empty: 'The audit log is empty.', private: true };
      }
      case 'gaps': {
        const gaps = await moderation.gaps(who, limitOf(input, 15));
        const lines = gaps.map((g) => `${g.count}× “${g.question}” · last ${when(g.lastAskedAt)}`);
        return { kind: 'list', title: 'Questions the corpus could not answer', lines, empty: 'No unanswered questions yet.', private: true };
      }
      default:
        throw citedError('UNKNOWN_COMMAND', `moderation ${input.subcommand}`);
    }
  },
};

/**
 * /moderation channel: with `channel`, reports of this server's answers are posted there from now
 * on (Cited posts a first message to make sure it can); with `off`, nowhere; with neither, where
 * they go. A channel a server sets replaces MOD_CHANNEL_ID for that server.
 */
async function reviewChannel(input: CommandInput, { moderation, who, reviewChannels }: Pick<CommandContext, 'who' | 'reviewChannels'> & { moderation: Moderation }): Promise<Reply> {
  const channelId = text(input, 'channel');
  const off = input.off === true;
  if (channelId !== undefined && off) throw citedError('CONFLICTING_OPTIONS', 'moderation channel', 'channel', 'off');
  const prepare = (id: string, guildId: string) => {
    if (!reviewChannels) throw citedError('REVIEW_CHANNEL_NOT_HERE');
    return reviewChannels.prepare(id, guildId);
  };
  if (channelId !== undefined) {
    const before = await moderation.setReviewChannel(channelId, who, prepare);
    const now = await moderation.reviewChannel(who);
    const was = before && before.channelId !== channelId ? ` (instead of #${before.name})` : '';
    // Open reports that never had a review post (none was set) go there now; a failure is retried every minute.
    const pending = await reviewChannels!.postPending(who.guildId).catch(() => 0);
    const also = pending > 0 ? ` ${pending} open report${pending === 1 ? '' : 's'} not posted before ${pending === 1 ? 'was' : 'were'} posted there.` : '';
    return { kind: 'notice', text: `Reports of this server's answers are posted in #${now?.name ?? channelId} from now on${was}.${also}`, private: true };
  }
  if (off) {
    const before = await moderation.setReviewChannel(null, who, prepare);
    const fallback = await reviewChannels?.configured(who.guildId);
    const then = fallback ? `they go to #${fallback}, the channel Cited's configuration names (MOD_CHANNEL_ID)` : 'they wait in /moderation queue';
    return { kind: 'notice', text: before ? `Reports are no longer posted in #${before.name}: ${then}.` : `This server had not set a review channel: ${then}.`, private: true };
  }
  const set = await moderation.reviewChannel(who);
  if (set) return { kind: 'notice', text: `Reports of this server's answers are posted in #${set.name} (set by ${set.by}, ${when(set.at)}). /moderation channel off stops it.`, private: true };
  const fallback = await reviewChannels?.configured(who.guildId);
  if (fallback) return { kind: 'notice', text: `Reports of this server's answers are posted in #${fallback}, the channel Cited's configuration names (MOD_CHANNEL_ID). /moderation channel channel:<channel> picks another.`, private: true };
  return { kind: 'notice', text: 'This server has no review channel: reports wait in /moderation queue. /moderation channel channel:<channel> sets one.', private: true };
}

function requireText(input: CommandInput, name: string): string {
  const value = text(input, name);
  if (!value) throw citedError('MISSING_OPTION', `moderation ${input.subcommand}`, name);
  return value;
}

function describeTarget(cited: { sentence(id: string): { text: string } | undefined; article(id: string): { outlet: string | null; title: string | null } | undefined }, kind: string, target: string): string {
  if (kind === 'sentence') {
    const sentence = cited.sentence(target)?.text;
    return `the sentence ${target}${sentence ? ` (“${sentence.length > 80 ? sentence.slice(0, 79) + '…' : sentence}”)` : ''}`;
  }
  const article = cited.article(target);
  return `the source ${target}${article ? ` (${article.outlet ?? 'unknown outlet'}: ${article.title ?? 'untitled'})` : ''}`;
}
