/**
 * The extraction worker: parses pages on its own thread (off-thread.ts sends them), so a feed's
 * poll never holds the bot's event loop for the 10–100 ms a news page takes to parse.
 */
import { parentPort } from 'node:worker_threads';
import { isCitedError } from '../core/errors.js';
import { extractPage } from './extract.js';

export type ExtractRequest = { id: number; html: string; pageUrl: string | null; what: string };
export type ExtractReply =
  | { id: number; ok: true; page: ReturnType<typeof extractPage> }
  | { id: number; ok: false; code: string | null; message: string; stack: string | null };

parentPort?.on('message', (request: ExtractRequest) => {
  let reply: ExtractReply;
  try {
    reply = { id: request.id, ok: true, page: extractPage(request.html, request.pageUrl, request.what) };
  } catch (error) {
    reply = { id: request.id, ok: false, code: isCitedError(error) ? error.code : null, message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? (error.stack ?? null) : null };
  }
  parentPort!.postMessage(reply);
});
