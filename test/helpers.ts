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
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
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
  return mkdtempSync(join(tmpdir(), 'cited-cwd-'));
}
