import type { Command } from './command.js';
import { text } from './command.js';

export const figures: Command = {
  name: 'figures',
  description: 'Numbers in the articles (troops, casualties, distances): what they count, who said them, where sources differ',
  example: '/figures troops',
  rateLimited: true,
  options: [{ name: 'topic', description: 'What the numbers are about, e.g. troops, explosions, residents (empty: an overview)', type: 'string', autocomplete: true, maxLength: 200, freeText: true }],
  run(input, { answers, who }) {
    return { kind: 'figures', result: answers.figures(text(input, 'topic') ?? null, who.guildId) };
  },
};
