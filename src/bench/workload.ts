// Deterministic inputs for the benchmark: a seeded PRNG, a fixed vocabulary, ~200-byte
// contents with ~4 vocabulary words per memory (title + content), and small statistics.

/** mulberry32: tiny, fast, seedable; good enough to pick ids and words. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u'];
const CODAS = ['', 'n', 'r', 'x'];

/** 1,000 distinct pronounceable words, the same on every run. */
export function vocabulary(size = 1000): readonly string[] {
  const syllables: string[] = [];
  for (const o of ONSETS) for (const v of VOWELS) for (const c of CODAS) syllables.push(o + v + c);
  const rnd = prng(0x5eed);
  const words = new Set<string>();
  while (words.size < size) {
    const n = 2 + Math.floor(rnd() * 2);
    let w = '';
    for (let i = 0; i < n; i++) w += syllables[Math.floor(rnd() * syllables.length)] ?? 'ba';
    words.add(w);
  }
  return [...words];
}

// Common filler shared by every memory (few distinct FTS tokens, like real prose).
const FILLER =
  'the agent noted this while working on the task and will need it again later when the same ' +
  'question comes up during the next session with the owner of the vault and its tools ';

export interface MemoryText {
  readonly title: string;
  readonly content: string;
}

export function makeMemoryText(rnd: () => number, vocab: readonly string[]): MemoryText {
  const pick = () => vocab[Math.floor(rnd() * vocab.length)] ?? 'word';
  const title = `${pick()} ${pick()}`;
  const head = `${pick()} ${pick()} `;
  return { title, content: (head + FILLER).slice(0, 200) };
}

export function percentile(sortedAsc: readonly number[], p: number): number {
  if (sortedAsc.length === 0) return Number.NaN;
  const idx = Math.min(sortedAsc.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAsc.length) - 1));
  return sortedAsc[idx] ?? Number.NaN;
}

/** Run `total` tasks with at most `concurrency` in flight. */
export async function pool(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
