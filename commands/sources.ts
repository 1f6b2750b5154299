import { summarize, type Command } from './command.js';

export const sources: Command = {
  name: 'sources',
  description: 'List the articles Cited quotes from: outlet, date, title and link',
  example: '/sources',
  options: [],
  run(_input, { cited }) {
    return { kind: 'sources', sources: cited.articles.map(summarize) };
  },
};
