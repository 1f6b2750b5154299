import { summarize, text, type Attachment, type Command, type CommandInput, type Reply } from './command.js';
import { citedError } from '../src/core/errors.js';
import { ARTICLE_ID_RULE } from '../src/corpus/article-id.js';
import type { Article } from '../src/core/types.js';
import type { Feed } from '../src/moderation/store.js';
import type { Moderation, Who } from '../src/moderation/moderation.js';

export const sources: Command = {
  name: 'sources',
  description: 'The articles Cited quotes from; corpus admins add and remove them and follow news feeds',
  example: '/sources list',
  options: [],
  defaultSubcommand: 'list',
  subcommands: [
    { name: 'list', description: 'List the articles: outlet, date, title and link', options: [] },
    {
      name: 'add',
      description: 'Corpus admins: add an article (a .txt or .html file, or a page by its address)',
      private: true,
      options: [
        { name: 'file', description: 'The article as a UTF-8 .txt file, or a saved .html page', type: 'attachment', freeText: true, hint: 'path to a .txt or .html file, or a page address' },
        { name: 'url', description: 'The address of a news page (https://…)', type: 'string', maxLength: 2000, hint: 'page address' },
      ],
    },
    { name: 'remove', description: 'Corpus admins: remove an article from the corpus', private: true, options: [{ name: 'id', description: 'The article id (see /sources list)', type: 'string', required: true, autocomplete: true, hint: 'article id' }] },
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
        return { kind: 'notice', text: `Removed ${article.id} (${article.outlet ?? 'unknown outlet'}). It will not be quoted again.`, private: true };
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
  if (url) return { kind: 'notice', text: `${added(await moderation.addPage(url, who))} From ${url}; the page's HTML is kept for audit.`, private: true };
  const article = await moderation.addSource(given!.name, given!.bytes, who);
  const name = given!.name.replace(/^.*[\\/]/, '');
  if (/\.html?$/i.test(name)) return { kind: 'notice', text: `${added(article)} Extracted from ${name} and saved as ${article.file}; the page's HTML is kept for audit.`, private: true };
  // The id is made from the file name (src/corpus/article-id.ts); say so when it is not the name as given.
  const renamed = article.file !== name ? ` The file was saved as ${article.file}: ${ARTICLE_ID_RULE}.` : '';
  return { kind: 'notice', text: `${added(article)}${renamed}`, private: true };
}

function added(article: Article): string {
  const quotable = article.sentences.filter((s) => !s.excluded).length;
  return `Added ${article.id} (${article.outlet ?? 'unknown outlet'}, ${article.date ?? 'date unknown'}): ${quotable} quotable sentences. It is searched from now on.`;
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
