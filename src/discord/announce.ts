/**
 * Announces articles added from news feeds in a channel (ANNOUNCE_CHANNEL_ID): title, outlet,
 * date, link and id, so members know what they can ask about. Everything the page supplied goes
 * through `inert` (a headline is text from the web), and no mention is ever parsed.
 */
import type { Client } from 'discord.js';
import type { Article } from '../core/types.js';
import type { Feed } from '../moderation/store.js';
import { inert } from './escape.js';
import { limits, truncateAtWord } from './limits.js';
import { noMentions } from './send.js';

export function announcement(article: Article, feed: Feed): string {
  const title = inert(truncateAtWord(article.title ?? article.id, 300));
  const where = `${inert(article.outlet ?? 'unknown outlet')}, ${article.date ?? 'date unknown'}`;
  const link = article.url ? `\n<${article.url}>` : '';
  const from = inert(truncateAtWord(feed.title ?? feed.url, 200));
  return truncateAtWord(`New article from ${from}: **${title}** — ${where}${link}\nid: \`${article.id}\` · ask about it with /ask`, limits.content);
}

export function announcer(client: Client, channelId: string): (article: Article, feed: Feed) => Promise<void> {
  return async (article, feed) => {
    const channel = await client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error(`ANNOUNCE_CHANNEL_ID ${channelId} is not a channel the bot can post in`);
    await channel.send({ content: announcement(article, feed), allowedMentions: noMentions });
  };
}
