/**
 * A deterministic news-like corpus for scale runs. Seeded (mulberry32), so every run and every
 * machine sees the same sentences and questions.
 *   - Vocabulary: `vocabulary` made-up words from syllables, drawn with a Zipf law (exponent 1.07,
 *     as in English news) so a few words are everywhere and most are rare; 3% of tokens are
 *     capitalised names from their own Zipf-drawn list, 2% are numbers (some with thousands separators).
 *   - Sentence length: log-normal around 22 words (news sentences: median ~20, long tail to 60).
 *   - Questions: 2–8 content words; a third include a rare word (rank > 5,000), a third are all
 *     common words (rank < 300), the rest drawn like the text.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ten', 'ras', 'vo', 'du', 'shi', 'pel', 'gor', 'an', 'ue', 'bri', 'zat', 'no', 'ri', 'mek', 'sol', 'tav', 'ul', 'fen', 'di', 'car', 'po'];

function word(rank: number, random: () => number): string {
  let w = '';
  const n = 2 + (rank % 3);
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)]!;
  return w;
}

/** Zipf sampler over ranks 0..n-1 via the cumulative distribution and binary search. */
function zipf(n: number, exponent: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / Math.pow(r + 1, exponent);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface Generated {
  sentences: string[];
  questions: string[];
}

export function generate(count: number, options: { seed?: number; vocabulary?: number; questions?: number } = {}): Generated {
  const random = mulberry32(options.seed ?? 20220224);
  const size = options.vocabulary ?? 50_000;
  const words = Array.from({ length: size }, (_, r) => word(r, random));
  const unique = [...new Set(words)];
  const names = Array.from({ length: 2000 }, (_, r) => {
    const w = word(r + 7, random);
    return w[0]!.toUpperCase() + w.slice(1);
  });
  const pickWord = zipf(unique.length, 1.07, random);
  const pickName = zipf(names.length, 1.0, random);
  const length = () => Math.max(4, Math.min(60, Math.round(Math.exp(Math.log(22) + 0.45 * gaussian(random)))));

  const sentences: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = length();
    const parts: string[] = [];
    for (let k = 0; k < n; k++) {
      const roll = random();
      if (roll < 0.03) parts.push(names[pickName()]!);
      else if (roll < 0.05) parts.push(random() < 0.5 ? String(Math.floor(random() * 100)) : Math.floor(random() * 900_000 + 1000).toLocaleString('en-US'));
      else parts.push(unique[pickWord()]!);
    }
    const text = parts.join(' ');
    sentences.push(text[0]!.toUpperCase() + text.slice(1) + '.');
  }

  const questions: string[] = [];
  const total = options.questions ?? 1000;
  for (let i = 0; i < total; i++) {
    const n = 2 + Math.floor(random() * 7);
    const kind = i % 3;
    const terms: string[] = [];
    for (let k = 0; k < n; k++) {
      if (kind === 0 && k === 0) terms.push(unique[5000 + Math.floor(random() * (unique.length - 5000))]!);
      else if (kind === 1) terms.push(unique[Math.floor(random() * 300)]!);
      else terms.push(unique[pickWord()]!);
    }
    questions.push(terms.join(' '));
  }
  return { sentences, questions };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * One article of about `bytes` bytes of UTF-8 (never more): a title, date and URL header, then
 * paragraphs of one to four generated sentences, as wire copy runs. For `bench:load`'s
 * `/sources add` of a large article.
 */
export function generateArticle(bytes: number, seed = 20260224): string {
  const random = mulberry32(seed);
  const header = 'Generated dispatch for the load benchmark\n2026-02-24\nhttps://example.org/bench/generated-dispatch\n';
  // ~150 bytes a sentence: generate enough at once, then cut at the last paragraph that fits.
  const { sentences } = generate(Math.ceil(bytes / 120) + 10, { seed, questions: 0 });
  let text = header;
  let size = Buffer.byteLength(header);
  for (let i = 0; i < sentences.length; ) {
    const take = 1 + Math.floor(random() * 4);
    const paragraph = sentences.slice(i, i + take).join(' ') + '\n';
    i += take;
    const length = Buffer.byteLength(paragraph);
    if (size + length > bytes) break;
    text += paragraph;
    size += length;
  }
  return text;
}
