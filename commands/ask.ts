import type { Command } from './command.js';
import { text } from './command.js';

export const ask: Command = {
  name: 'ask',
  description: 'Answer a question with quotes from the news articles, each cited to its source',
  example: '/ask How many troops has Russia amassed near Ukraine?',
  rateLimited: true,
  options: [
    { name: 'question', description: 'What you want to know', type: 'string', required: true, maxLength: 4000 },
    { name: 'source', description: 'Quote only this article (its id, see /sources)', type: 'string', autocomplete: true },
    { name: 'private', description: 'Show the answer only to you', type: 'boolean' },
  ],
  run(input, { answers, who }) {
    const question = typeof input.question === 'string' ? input.question : '';
    const request = { question, guildId: who.guildId, source: text(input, 'source') ?? null };
    return { kind: 'answer', answer: answers.ask(request), request, private: input.private === true };
  },
};
