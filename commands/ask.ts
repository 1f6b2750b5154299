import type { Command } from './command.js';
import { text } from './command.js';
import { citedError } from '../src/core/errors.js';

export const ask: Command = {
  name: 'ask',
  description: 'Answer a question with quotes from the news articles, each cited to its source',
  example: '/ask How many troops has Russia amassed near Ukraine?',
  options: [
    { name: 'question', description: 'What you want to know', type: 'string', required: true, maxLength: 4000 },
    { name: 'source', description: 'Quote only this article (its id, see /sources)', type: 'string', autocomplete: true },
    { name: 'private', description: 'Show the answer only to you', type: 'boolean' },
  ],
  run(input, { cited, exclude }) {
    const question = typeof input.question === 'string' ? input.question : '';
    const source = text(input, 'source');
    if (source !== undefined && !cited.article(source)) throw citedError('UNKNOWN_SOURCE', source);
    const answer = cited.ask(question, { ...(source ? { sources: [source] } : {}), ...(exclude ? { exclude } : {}) });
    return { kind: 'answer', answer, private: input.private === true };
  },
};
