import { summarize, text, type Attachment, type Command, type CommandInput, type Reply } from './command.js';
import { citedError } from '../src/core/errors.js';
import { ARTICLE_ID_RULE } from '../src/corpus/article-id.js';
import type { Article } from '../src/core/types.js';
import type { Feed } from '../src/moderation/store.js';
import type { LibraryChoice, Moderation, Who } from '../src/moderation/moderation.js';
import { LOCAL_PREFIX } from '../src/corpus/load.js';

/** Where /sources add puts an article (moderation.ts, LibraryChoice). */
const LIBRARIES = [
  { value: 'server', name: 'This server only (its moderators)' },
  { value: 'shared', name: 'Shared by every server (corpus admins)' },
] as const;

export const sources: Command = {
  name: 'sources',
  description: "The articles Cited quotes from; moderators keep their server's own, corpus admins the shared ones and feeds",
  example: '/sources list',
  options: [],
  defaultSubcommand: 'list',
  subcommands: [
    { name: 'list', description: 'List the articles: outlet, date, title and link', options: [] },
    {
      name: 'add',
      description: "Add an article (.txt or .html file, or a page's address) to this server's library or the shared corpus",
      private: true,
      options: [
        { name: 'file', description: 'The article as a UTF-8 .txt file, or a saved .html page', type: 'attachment', freeText: true, hint: 'path to a .txt or .html file, or a page address' },
        { name: 'url', description: 'The address of a news page (https://…)', type: 'string', maxLength: 2000, hint: 'page address' },
        { name: 'library', description: "Where it goes (default: shared for corpus admins, else this server's)", type: 'string', choices: LIBRARIES },
      ],
    },
    { name: 'remove', description: "Remove an article: this server's own (moderators) or a shared one (corpus admins)", private: true, options: [{ name: 'id', description: 'The article id (see /sources list)', type: 'string', required: true, autocomplete: true, hint: 'article id' }] },
    { name: 'follow', description: 'Corpus admins: follow a news feed (RSS, Atom or JSON Feed); new articles are added', private: true, options: [{ name: 'url', description: 'The address of the feed', type: 'string', required: true, maxLength: 2000, hint: 'feed address' }] },
    { name: 'feeds', description: 'Corpus admins: the feeds followed, their last fetch, last error and articles taken', private: true, options: [] },
    { name: 'unfollow', description: 'Corpus admins: stop following a feed (its articles stay)', private: true, options: [{ name: 'feed', description: 'The feed number (see /sources feeds) or its address', type: 'string', required: true, hint: 'feed number or address' }] },
  ],
  async run(input, { cited, moderation, who }) {
    if (input.subcommand === undefined || input.subcommand === 'list') return { kind: 'sources', sources: cited.articles.map(summarize) };
    if (!moderation || !who) throw citedError('MODERATION_UNAVAILABLE');
    switch (input.subcommand) {
      case 'add':
        return add(input, moderation, who);
      case 'remove': {
        const id = text(input, 'id');
        if (!id) throw citedError('MISSING_OPTION', 'sources remove', 'an article id');
        const article = await moderation.removeSource(id, who);
        const where = article.id.startsWith(LOCAL_PREFIX) ? " from this server's library" : '';
        return { kind: 'notice', text: `Removed ${article.id} (${article.outlet ?? 'unknown outlet'})${where}. It will not be quoted again.`, private: true };
      }
      case 'follow': {
        const url = text(input, 'url');
        if (!url) throw citedError('MISSING_OPTION', 'sources follow', 'the address of a feed');
        const { feed, items } = await moderation.followFeed(url, who);
        return {
          kind: 'notice',
          text: `Following feed #${feed.id}${feed.title ? `, ${feed.title}` : ''} (${feed.url}): ${items} item${items === 1 ? '' : 's'} in it now. New articles from it are added in the background; /sources feeds shows how it goes.`,
          private: true,
        };
      }
      case 'unfollow': {
        const target = text(input, 'feed');
        if (!target) throw citedError('MISSING_OPTION', 'sources unfollow', 'a feed number or address');
        const { feed, configured } = await moderation.unfollowFeed(target, who);
        const kept = feed.taken === 0 ? 'No article was taken from it.' : `The ${feed.taken} article${feed.taken === 1 ? '' : 's'} taken from it stay in the corpus (/sources remove takes one out).`;
        const again = configured ? ' It is listed in FEEDS, so it is followed again at the next start unless it is taken out of FEEDS too.' : '';
        return { kind: 'notice', text: `Stopped following feed #${feed.id}${feed.title ? `, ${feed.title}` : ''} (${feed.url}). ${kept}${again}`, private: true };
      }
      case 'feeds': {
        const feeds = await moderation.feeds(who);
        return { kind: 'list', title: 'Feeds followed', lines: feeds.map(({ feed, configured }) => describeFeed(feed, configured)), empty: 'No feed is followed. /sources follow <address> follows one.', private: true };
      }
      default:
        throw citedError('UNKNOWN_COMMAND', `sources ${input.subcommand}`);
    }
  },
};

async function add(input: CommandInput, moderation: Moderation, who: Who): Promise<Reply> {
  const file = input.file;
  const url = text(input, 'url');
  const given = typeof file === 'object' && file !== null ? (file as Attachment) : null;
  if (given && url) throw citedError('TWO_SOURCE_INPUTS');
  if (!given && !url) throw citedError('MISSING_SOURCE_INPUT');
  const library = libraryOf(input);
  if (url) return { kind: 'notice', text: `${added(await moderation.addPage(url, who, library))} From ${url}; the page's HTML is kept for audit.`, private: true };
  const article = await moderation.addSource(given!.name, given!.bytes, who, library);
  const name = given!.name.replace(/^.*[\\/]/, '');
  if (/\.html?$/i.test(name)) return { kind: 'notice', text: `${added(article)} Extracted from ${name} and saved as ${article.file}; the page's HTML is kept for audit.`, private: true };
  // The id is made from the file name (src/corpus/article-id.ts); say so when it is not the name as given.
  const saved = article.id.startsWith(LOCAL_PREFIX) ? article.file.slice(LOCAL_PREFIX.length) : article.file;
  const renamed = saved !== name ? ` The file was saved as ${article.file}: ${ARTICLE_ID_RULE}.` : '';
  return { kind: 'notice', text: `${added(article)}${renamed}`, private: true };
}

/** The library: option, checked here too (a crafted interaction is not held to Discord's choices). */
function libraryOf(input: CommandInput): LibraryChoice | undefined {
  const value = text(input, 'library');
  if (value === undefined) return undefined;
  if (!LIBRARIES.some((l) => l.value === value)) throw citedError('BAD_OPTION_VALUE', 'library', 'server or shared', value);
  return value as LibraryChoice;
}

function added(article: Article): string {
  const quotable = article.sentences.filter((s) => !s.excluded).length;
  const where = article.id.startsWith(LOCAL_PREFIX) ? ", in this server only (its own library)" : '';
  return `Added ${article.id} (${article.outlet ?? 'unknown outlet'}, ${article.date ?? 'date unknown'}): ${quotable} quotable sentences. It is searched from now on${where}.`;
}

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** One feed for /sources feeds: number, title, address, last fetch and its outcome, last error, articles taken, next poll. */
export function describeFeed(feed: Feed, configured: boolean): string {
  const parts = [`#${feed.id} ${feed.title ?? '(untitled)'} — ${feed.url}${configured ? ' (from FEEDS)' : ''}`];
  parts.push(feed.lastFetchAt === null ? 'not fetched yet' : `last fetched ${when(feed.lastFetchAt)} (${feed.lastOutcome ?? 'ok'})`);
  if (feed.lastError !== null && feed.lastErrorAt !== null) parts.push(`${feed.failures > 0 ? `failing (${feed.failures} in a row)` : 'last error'} ${when(feed.lastErrorAt)}: ${feed.lastError}`);
  parts.push(`${feed.taken} article${feed.taken === 1 ? '' : 's'} taken`);
  parts.push(feed.nextPollAt <= Date.now() ? 'next poll now' : `next poll ${when(feed.nextPollAt)}`);
  return parts.join(' · ');
}
