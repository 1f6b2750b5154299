import type { Command } from './command.js';

export const help: Command = {
  name: 'help',
  private: true,
  description: 'How to use Cited',
  example: '/help',
  options: [],
  run(_input, { commands }) {
    return { kind: 'help', commands };
  },
};
