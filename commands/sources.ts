import { summarize, text, type Command } from './command.js';
import { citedError } from '../src/core/errors.js';
import { ARTICLE_ID_RULE } from '../src/corpus/article-id.js';

export const sources: Command = {
  name: 'sources',
  description: 'The articles Cited quotes from; moderators add and remove them',
  example: '/sources list',
  options: [],
  defaultSubcommand: 'list',
  subcommands: [
    { name: 'list', description: 'List the articles: outlet, date, title and link', options: [] },
    { name: 'add', description: 'Corpus admins: add an article (a .txt file) to the corpus', private: true, options: [{ name: 'file', description: 'The article as a UTF-8 .txt file', type: 'attachment', required: true, freeText: true, hint: 'path to a .txt file' }] },
    { name: 'remove', description: 'Corpus admins: remove an article from the corpus', private: true, options: [{ name: 'id', description: 'The article id (see /sources list)', type: 'string', required: true, autocomplete: true, hint: 'article id' }] },
  ],
  async run(input, { cited, moderation, who }) {
    if (input.subcommand === 'add' || input.subcommand === 'remove') {
      if (!moderation || !who) throw citedError('MODERATION_UNAVAILABLE');
      if (input.subcommand === 'add') {
        const file = input.file;
        if (typeof file !== 'object' || file === null) throw citedError('MISSING_OPTION', 'sources add', 'a file');
        const article = await moderation.addSource(file.name, file.bytes, who);
        const quotable = article.sentences.filter((s) => !s.excluded).length;
        // The id is made from the file name (src/corpus/article-id.ts); say so when it is not the name as given.
        const renamed = article.file !== file.name.replace(/^.*[\\/]/, '') ? ` The file was saved as ${article.file}: ${ARTICLE_ID_RULE}.` : '';
        return { kind: 'notice', text: `Added ${article.id} (${article.outlet ?? 'unknown outlet'}, ${article.date ?? 'date unknown'}): ${quotable} quotable sentences. It is searched from now on.${renamed}`, private: true };
      }
      const id = text(input, 'id');
      if (!id) throw citedError('MISSING_OPTION', 'sources remove', 'an article id');
      const article = await moderation.removeSource(id, who);
      return { kind: 'notice', text: `Removed ${article.id} (${article.outlet ?? 'unknown outlet'}). It will not be quoted again.`, private: true };
    }
    return { kind: 'sources', sources: cited.articles.map(summarize) };
  },
};
