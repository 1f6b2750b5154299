/** The console's line parsing (src/console/parse-line.ts) against the syntax /help shows. */
import { describe, expect, it } from 'vitest';
import { commands, findCommand, type Command, type CommandOption } from '../commands/index.js';
import { toInput, usage } from '../src/console/parse-line.js';
import { isCitedError } from '../src/core/errors.js';

// A choice list ("yes|no", "server|shared") is filled with its first choice, a range with its top.
const sample = (placeholder: string) => (/^\w+(\|\w+)+$/.test(placeholder) ? placeholder.split('|')[0]! : /^\d+-\d+$/.test(placeholder) ? placeholder.split('-')[1]! : placeholder.replace(/\W+/g, '_'));

describe('every usage /help shows parses as written', () => {
  const forms = commands.flatMap((c): { command: Command; sub: string | null; options: readonly CommandOption[] }[] =>
    c.subcommands ? c.subcommands.map((s) => ({ command: c, sub: s.name, options: s.options })) : [{ command: c, sub: null, options: c.options }],
  );
  for (const { command, sub, options } of forms) {
    const label = sub ? `${command.name} ${sub}` : command.name;
    const shown = usage(label, options);
    it(`/${shown}`, () => {
      // Fill every placeholder, the optional ones too: "[source:<…>]" → "source:…".
      const line = shown
        .slice(label.length)
        .replace(/\[([^\]]*)\]/g, '$1')
        .replace(/<([^>]*)>|(?<=:)(\w+(?:\|\w+)+)/g, (_, p: string | undefined, choices: string | undefined) => sample(p ?? choices!));
      const input = toInput(command, `${sub ?? ''} ${line}`);
      for (const option of options) expect(input[option.name], `${option.name} in "${line}"`).not.toBeUndefined();
    });
  }
});

describe('options on a line', () => {
  const ask = findCommand('ask')!;
  const suppress = (rest: string) => toInput(findCommand('moderation')!, `suppress ${rest}`);
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (isCitedError(error)) return `${error.code}: ${error.message}`;
      throw error;
    }
    return 'accepted';
  };

  it('stand before, inside or after the question; a quoted value keeps its spaces', () => {
    expect(toInput(ask, 'source:ndtv How many troops?')).toEqual({ question: 'How many troops?', source: 'ndtv' });
    expect(toInput(ask, 'How many source:NDTV troops? private:no')).toEqual({ question: 'How many troops?', source: 'NDTV', private: false });
    expect(toInput(ask, 'source:"Kyiv Independent" tanks')).toEqual({ question: 'tanks', source: 'Kyiv Independent' });
    expect(toInput(ask, 'question: What is the question: who fired first?')).toEqual({ question: 'What is the question: who fired first?' });
  });

  it('a free-text value runs to the next option; a one-word value leaves the rest to the first option', () => {
    expect(suppress('003_x reason: not news at all')).toEqual({ subcommand: 'suppress', target: '003_x', reason: 'not news at all' });
    expect(suppress('reason:dup target:003_x')).toEqual({ subcommand: 'suppress', reason: 'dup', target: '003_x' });
  });

  it('refuses what it cannot take, naming it', () => {
    expect(refusal(() => toInput(ask, 'troops private:maybe'))).toBe('BAD_OPTION_VALUE: private: takes yes or no, not "maybe". Type /help to see how to use it.');
    expect(refusal(() => toInput(findCommand('moderation')!, 'log limit:51'))).toMatch(/^BAD_OPTION_VALUE: limit: takes a whole number from 1 to 50, not "51"/);
    expect(refusal(() => toInput(findCommand('moderation')!, 'log 1.5'))).toMatch(/^BAD_OPTION_VALUE: limit:/);
    expect(refusal(() => suppress('target:a b'))).toMatch(/^UNEXPECTED_TEXT: "b" does not fit/);
    expect(refusal(() => toInput(findCommand('help')!, 'me'))).toMatch(/^UNEXPECTED_TEXT: "me" does not fit \/help, which takes nothing after it/);
  });
});
