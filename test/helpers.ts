/** Shared test fixtures: throwaway corpus folders and spawned Cited processes. */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../src/core/paths.js';

export const root = projectRoot();
export const corpusDir = join(root, 'corpus');

/** A new folder holding `files` (name → content); with `seeds`, the bundled articles too. */
export function tempCorpus(files: Record<string, string | Uint8Array> = {}, seeds = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'cited-corpus-'));
  if (seeds) cpSync(corpusDir, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** A corpus of `count` one-line articles ("Report number i says troops moved near the border."), big enough to show progress. */
export function manyArticles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`a${String(i).padStart(3, '0')}.txt`] = `Report number ${i} says troops moved near the border.\n`;
  return files;
}

/** The compiled entry point of a script; the test command builds first (`tsc -p .`). */
export function built(script: string): string {
  const path = join(root, 'dist', script);
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" (npm test does) before the end-to-end tests`);
  return path;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a compiled script with Node, feeding `input` to stdin, and collects its output. */
export function runScript(script: string, args: string[] = [], options: { input?: string; env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // A fresh data folder (moderation store) for every run, unless the test names one.
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', DATA_DIR: freshDir('cited-data-'), ...options.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    // Run from an empty folder, so a developer's own .env never leaks into the test.
    const child = spawn(process.execPath, [built(script), ...args], { cwd: options.cwd ?? emptyDir(), env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

function emptyDir(): string {
  return freshDir('cited-cwd-');
}

export function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Started {
  child: ReturnType<typeof spawn>;
  output(): string;
  /** Resolves with the output once `pattern` appears in it (stdout and stderr together). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts a compiled script as a long-running process (a bot), collecting its output. */
export function startScript(script: string, env: Record<string, string | undefined>): Started {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', DATA_DIR: freshDir('cited-data-'), ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  // CITED_NODE_ARGS passes Node flags to the started process, e.g. "--cpu-prof --cpu-prof-dir=prof" to profile the bot under bench:load.
  const nodeArgs = process.env['CITED_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, built(script)], { cwd: emptyDir(), env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: { pattern: RegExp; resolve: (s: string) => void }[] = [];
  const onData = (d: string) => {
    output += d;
    for (const w of [...waiters]) if (w.pattern.test(output)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(output);
    }
  };
  child.stdout!.setEncoding('utf8').on('data', onData);
  child.stderr!.setEncoding('utf8').on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      if (pattern.test(output)) return Promise.resolve(output);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in:\n${output}`)), timeoutMs);
        waiters.push({ pattern, resolve: (s) => (clearTimeout(timer), resolve(s)) });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `work` and counts the event loop's turns until it settles: none when it ran in one go on this thread. */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    return { result: await work(), turns };
  } finally {
    done = true;
  }
}
