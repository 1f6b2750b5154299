import type { Command } from './command.js';
import { citedError } from '../src/core/errors.js';

export const figures: Command = {
  name: 'figures',
  description: 'The numbers the articles print on a topic (troops, casualties, distances), each with its source',
  example: '/figures troops',
  options: [{ name: 'topic', description: 'What the numbers are about, e.g. troops, explosions, residents', type: 'string', required: true, maxLength: 200 }],
  run(input, { cited }) {
    const topic = typeof input.topic === 'string' ? input.topic.trim() : '';
    if (topic === '') throw citedError('MISSING_OPTION', 'figures', 'a topic, e.g. /figures troops');
    return { kind: 'figures', result: cited.figures(topic) };
  },
};
