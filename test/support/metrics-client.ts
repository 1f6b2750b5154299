/** For the endpoint's tests: free ports, and the endpoint's three routes read over real HTTP. */
import { createServer } from 'node:net';

/** `count` consecutive ports free on 127.0.0.1 right now (the first of them returned). */
export async function freePorts(count = 1): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await listenOn(0);
    if (first === null) continue;
    let all = true;
    for (let i = 1; i < count && all; i++) all = first + i <= 65535 && (await listenOn(first + i)) !== null;
    if (all) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** Listens on `port` and closes again: the port, or null when it was taken. */
function listenOn(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const taken = (server.address() as { port: number }).port;
      server.close(() => resolve(taken));
    });
  });
}

export interface Reply {
  status: number;
  type: string;
  body: string;
}

export async function get(port: number, path: string): Promise<Reply> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** A scrape: each sample by name and labels, e.g. value('cited_answers_total', { result: 'quoted' }). */
export interface Scrape {
  text: string;
  /** The sample's value; undefined when the series is absent. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample of `name` whose labels include `labels`, summed. */
  sum(name: string, labels?: Record<string, string>): number;
  /** The label sets of `name`'s samples. */
  labelsOf(name: string): Record<string, string>[];
}

export async function scrape(port: number): Promise<Scrape> {
  const reply = await get(port, '/metrics');
  if (reply.status !== 200) throw new Error(`/metrics answered ${reply.status}: ${reply.body}`);
  return parse(reply.body);
}

/** Prometheus's text format, just enough of it: `name{a="x",b="y"} value` lines. */
export function parse(text: string): Scrape {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    text,
    value(name, labels = {}) {
      const found = matching(name, labels).filter((s) => Object.keys(s.labels).length === Object.keys(labels).length);
      if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} names ${found.length} samples`);
      return found[0]?.value;
    },
    sum: (name, labels = {}) => matching(name, labels).reduce((total, s) => total + s.value, 0),
    labelsOf: (name) => matching(name, {}).map((s) => s.labels),
  };
}
