/**
 * The changes made to a running index since its snapshot was written, saved beside it so a
 * restart does not rebuild what an add did not touch: each added article's segment in a small file
 * of its own (`<snapshot>.segment-<n>`), and a list of the changes in order (`<snapshot>.changes`),
 * with the fingerprint of the main snapshot they apply to and of the corpus folder after them. An
 * add writes one small file and the list, never the main snapshot; a merge writes a new main
 * snapshot and starts the list again.
 *
 * At start-up (cited.ts): when the folder no longer matches the main snapshot but matches the list,
 * the main snapshot is read and the changes are applied — removals hidden, segments searched beside
 * it. Anything else (a list for another snapshot, a segment missing or corrupt) is ignored with a
 * note, and the index is rebuilt from the articles.
 *
 * A segment file is the segment's articles and folded forms, serialised with V8's structured-clone
 * format (typed arrays and all) behind a line naming the format and a CRC-32 of the rest.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import type { SegmentResult } from './rebuild/job.js';

const FORMAT = 1;
const MAGIC = `CITED-SEGMENT ${FORMAT} `;

export type Change = { kind: 'add'; segment: string; ids: string[] } | { kind: 'remove'; id: string };

export interface ChangeList {
  format: number;
  /** The fingerprint of the main snapshot the changes apply to. */
  mainPrint: string;
  /** The fingerprint of the corpus folder after the last change. */
  folderPrint: string;
  changes: Change[];
}

/** A segment as saved: its articles as columns (rebuild/packing.ts) and its folded forms. */
export type SegmentData = SegmentResult;

export const changesFile = (snapshot: string): string => `${snapshot}.changes`;
const segmentPath = (snapshot: string, name: string): string => join(dirname(snapshot), name);

/** Writes an added article's segment beside the snapshot (without holding the event loop for the writing); returns its file name. */
export async function writeSegment(snapshot: string, data: SegmentData): Promise<string> {
  const body = serialize(data);
  const name = `${basename(snapshot)}.segment-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const path = segmentPath(snapshot, name);
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, Buffer.concat([Buffer.from(`${MAGIC}${crc32(body).toString(16)}\n`), body]));
  await rename(temporary, path);
  return name;
}

/** Reads a segment written by `writeSegment`; null when it is missing, of another format or corrupt. */
export function readSegment(snapshot: string, name: string): SegmentData | null {
  const path = segmentPath(snapshot, name);
  if (!existsSync(path)) return null;
  const bytes = readFileSync(path);
  const newline = bytes.indexOf(10);
  const head = bytes.subarray(0, newline).toString('utf8');
  if (newline < 0 || !head.startsWith(MAGIC)) return null;
  const body = bytes.subarray(newline + 1);
  if (crc32(body).toString(16) !== head.slice(MAGIC.length)) return null;
  try {
    return deserialize(body) as SegmentData;
  } catch {
    return null;
  }
}

export function readChanges(snapshot: string): ChangeList | null {
  const path = changesFile(snapshot);
  if (!existsSync(path)) return null;
  try {
    const list = JSON.parse(readFileSync(path, 'utf8')) as ChangeList;
    return list.format === FORMAT && Array.isArray(list.changes) ? list : null;
  } catch {
    return null;
  }
}

/** Saves the change list, and deletes the segment files it no longer names. */
export function writeChanges(snapshot: string, list: Omit<ChangeList, 'format'>): void {
  writeAtomically(changesFile(snapshot), Buffer.from(JSON.stringify({ format: FORMAT, ...list })));
  const kept = new Set(list.changes.flatMap((c) => (c.kind === 'add' ? [c.segment] : [])));
  const prefix = `${basename(snapshot)}.segment-`;
  for (const name of readdirSync(dirname(snapshot))) if (name.startsWith(prefix) && !kept.has(name)) rmSync(join(dirname(snapshot), name), { force: true });
}

/** A temporary file renamed into place: a crash never leaves half of one. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}
