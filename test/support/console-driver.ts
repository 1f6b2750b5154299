/**
 * The console chat as a person uses it: a real `npm start` process without a Discord token, one
 * line at a time, each next line written after the reply to the last one has been read — for tests
 * whose next line depends on what the console said (an answer id, a sentence id).
 *
 * Where a reply ends is marked without timing: after each line the driver sends an unknown command
 * `/end-of-reply-N`, whose refusal ("There is no command /end-of-reply-N") follows the reply.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { built, freshDir } from '../helpers.js';

export interface ConsoleDriver {
  /** What the console printed first (the greeting). */
  greeting: Promise<string>;
  /** Sends one line and resolves with the console's reply to it. */
  say(line: string): Promise<string>;
  /** Ends the input (Ctrl+D) and resolves with the exit code and everything on stderr. */
  end(): Promise<{ code: number | null; stderr: string }>;
}

export function startConsole(env: Record<string, string | undefined> = {}): ConsoleDriver {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', DATA_DIR: freshDir('cited-data-'), DISCORD_TOKEN: undefined, CORPUS_DIR: undefined, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const child: ChildProcess = spawn(process.execPath, [built('src/main.js')], { cwd: freshDir('cited-cwd-'), env: merged, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let read = 0;
  let marks = 0;
  const waiters: { text: string; resolve: (at: number) => void }[] = [];
  const settle = () => {
    for (const w of [...waiters]) {
      const at = stdout.indexOf(w.text, read);
      if (at >= 0) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(at);
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => ((stdout += d), settle()));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const until = (text: string) =>
    new Promise<number>((resolve, reject) => {
      waiters.push({ text, resolve });
      settle();
      void exited.then(() => reject(new Error(`the console ended before printing ${JSON.stringify(text)}:\n${stdout}\n${stderr}`)));
    });

  const greeting = until('/quit leaves.').then((at) => {
    const end = stdout.indexOf('\n', at) + 1;
    read = end;
    return stdout.slice(0, end);
  });
  let queue: Promise<unknown> = greeting;
  return {
    greeting,
    say(line) {
      const reply = queue.then(async () => {
        // The refusal and the blank line after it, whole: they may arrive in separate chunks.
        const mark = `There is no command /end-of-reply-${++marks}. Type /help to see the commands.\n\n`;
        child.stdin!.write(`${line}\n/end-of-reply-${marks}\n`);
        const at = await until(mark);
        const text = stdout.slice(read, at).replace(/\n+$/, '');
        read = at + mark.length;
        return text;
      });
      queue = reply.catch(() => undefined);
      return reply;
    },
    async end() {
      await queue;
      child.stdin!.end();
      return { code: await exited, stderr };
    },
  };
}
