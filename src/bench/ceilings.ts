// The machine's own ceilings for the shape of work the vault benchmarks measure (issue 17 item 4),
// measured in the same run so a figure can also be read as a fraction of what this machine, at
// this moment, could do at most: an empty encrypted SQLite transaction (the vault's pragmas and
// transaction driver, one per event-loop turn as the commit queue schedules them) and the bare
// AES-256-GCM + SHA-256 a store or recall of that size does. A neighbour that halves the ceiling
// halves the figure too; the ratio stays.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openTransactionProbe } from '../node/store/transaction-probe.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Transactions per second, one per event-loop turn (the shape of a sequential store or recall). */
async function transactionCeiling(count: number, kind: 'emptyTransaction' | 'oneRowTransaction'): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'mv-bench-ceiling-'));
  const probe = openTransactionProbe(dir);
  try {
    for (let i = 0; i < Math.min(500, count); i++) probe[kind](); // warm the statements
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      await turn();
      probe[kind]();
    }
    return count / ((performance.now() - t0) / 1000);
  } finally {
    probe.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Empty encrypted transactions per second: the ceiling for sequential stores and recalls. */
export const emptyTransactionCeiling = (count: number) => transactionCeiling(count, 'emptyTransaction');

/**
 * Transactions that append one 32-byte row: the smallest write, so the cost of committing a dirty
 * page (encrypting it into the WAL) is in the ceiling too. A store commits ~14 pages, an audited
 * recall ~4.5 (its leaf, the leaf's two indexes, its tree hashes): informative beside the empty one.
 */
export const oneRowTransactionCeiling = (count: number) => transactionCeiling(count, 'oneRowTransaction');

/**
 * Bare crypto per second for one memory of `contentBytes`: AES-256-GCM over the content and over a
 * 32-byte key (the DEK's envelope), SHA-256 of the content — what sealing or opening one costs
 * without the vault's bindings, allocations and bookkeeping.
 */
export function cryptoCeiling(contentBytes: number, count: number): number {
  const key = randomBytes(32);
  const content = randomBytes(contentBytes);
  const dek = randomBytes(32);
  const nonce = randomBytes(12);
  const once = () => {
    for (const data of [content, dek]) {
      const c = createCipheriv('aes-256-gcm', key, nonce);
      c.update(data);
      c.final();
      c.getAuthTag();
    }
    createHash('sha256').update(content).digest();
  };
  for (let i = 0; i < Math.min(1_000, count); i++) once();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) once();
  return count / ((performance.now() - t0) / 1000);
}

/** `value` as a fraction of `ceiling` (both in the same unit, higher is better); null without a ceiling. */
export function fractionOf(value: number, ceiling: number): number | null {
  return Number.isFinite(value) && Number.isFinite(ceiling) && ceiling > 0 ? value / ceiling : null;
}

/** For latencies (lower is better): the ceiling's latency over the figure's, so 1.0 is the floor itself. */
export function fractionOfLatency(latencyMs: number, floorMs: number): number | null {
  return Number.isFinite(latencyMs) && Number.isFinite(floorMs) && latencyMs > 0 ? floorMs / latencyMs : null;
}

/** Bare SHA-256 per second over `bytes`-long inputs (the leaf and node hashing a full verification does). */
export function hashCeiling(bytes: number, count: number): number {
  const data = randomBytes(bytes);
  for (let i = 0; i < Math.min(1_000, count); i++) createHash('sha256').update(data).digest();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) createHash('sha256').update(data).digest();
  return count / ((performance.now() - t0) / 1000);
}
