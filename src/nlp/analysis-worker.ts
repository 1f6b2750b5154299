/**
 * A worker thread of parallel analysis (see parallel.ts): analyses the paragraphs it is sent and
 * returns them as token columns, the typed arrays transferred rather than copied.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeParagraph } from './analysis.js';
import { encodeParagraphs } from './token-columns.js';

parentPort!.on('message', ({ chunk, texts }: { chunk: number; texts: string[] }) => {
  const columns = encodeParagraphs(texts.map((text) => analyzeParagraph(text)));
  parentPort!.postMessage({ chunk, columns }, [columns.flags.buffer, columns.numbers.buffer]);
});
