import type { Command } from './command.js';
import { summarize, text } from './command.js';
import { citedError } from '../src/core/errors.js';
import { articleByUrl, looksLikeUrl, resolveSource } from './find-article.js';

export const ask: Command = {
  name: 'ask',
  description: 'Answer a question with quotes from the news articles, each cited to its source',
  example: '/ask How many troops has Russia amassed near Ukraine?',
  rateLimited: true,
  options: [
    { name: 'question', description: 'What you want to know', type: 'string', required: true, maxLength: 4000, freeText: true },
    { name: 'source', description: 'Quote only this article: its id, its outlet (e.g. ndtv) or its link (see /sources)', type: 'string', autocomplete: true, hint: 'article id, outlet or link' },
    { name: 'private', description: 'Show the answer only to you', type: 'boolean' },
  ],
  run(input, { answers, who, cited }) {
    const question = typeof input.question === 'string' ? input.question : '';
    // A link pasted from /sources (it has no words to search for) finds its article instead.
    if (looksLikeUrl(question)) {
      const article = articleByUrl(cited.articles, question.trim());
      if (!article) throw citedError('UNKNOWN_ARTICLE_URL', question.trim());
      return { kind: 'sources', sources: [summarize(article)] };
    }
    const source = text(input, 'source');
    const request = { question, guildId: who.guildId, source: source === undefined ? null : resolveSource(cited, source) };
    return { kind: 'answer', answer: answers.ask(request), request, private: input.private === true };
  },
};
