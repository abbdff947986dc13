// Threat: an exporter (or anyone between it and the auditor) hands over a proof bundle with an
// event duplicated, two events swapped or one event dropped. Every remaining event still proves
// its own position, so the old verifiers said "valid" ("2078 events proven in tree 2077"). A
// version 2 bundle states the ranges it covers; both verifiers — the CLI's `audit verify-bundle`
// and the zero-dependency bin/memory-vault-verify.mjs, each run as a real child process — must
// reject all three edits with a named failure, and print the ranges they verified when valid.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryHashStore,
  buildProofBundle,
  canonicalJson,
  generateNoteKey,
  hashLeaf,
  parseSignerKey,
  signCheckpoint,
  toTreeSize,
  treeHash,
  verifyBundle,
} from '../../src/core/audit/index.js';
import type { ProofBundleV2 } from '../../src/core/audit/index.js';

const CLI = join(process.cwd(), 'bin', 'memory-vault.js');
const STANDALONE = join(process.cwd(), 'bin', 'memory-vault-verify.mjs');
const ORIGIN = 'vault.example/audit';
const SIZE = 12;
const key = generateNoteKey(ORIGIN);
let dir: string;

beforeAll(() => {
  if (!existsSync(join(process.cwd(), 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build:node` (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'mv-omission-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The whole log of SIZE events, as the exporter builds it: ranges [{ from: 0, to: SIZE - 1 }]. */
function wholeLogBundle(): ProofBundleV2 {
  const signer = parseSignerKey(key.signerKey);
  if (!signer.ok) throw new Error('key');
  const store = new MemoryHashStore();
  const events = Array.from({ length: SIZE }, (_, i) =>
    canonicalJson({ v: 1, seq: i, kind: i === 5 ? 'memory.store' : 'memory.recall', outcome: i === 5 ? 'refused' : 'ok' }),
  );
  events.forEach((e) => store.appendLeafHash(hashLeaf(new TextEncoder().encode(e))));
  const checkpoint = signCheckpoint(
    { origin: ORIGIN, size: toTreeSize(SIZE), rootHash: treeHash(SIZE, store), extensions: [] },
    signer.value,
  );
  return buildProofBundle({
    verifierKey: key.verifierKey,
    signedCheckpoint: checkpoint,
    events: events.map((canonicalJson, index) => ({ index, canonicalJson })),
    reader: store,
  });
}

interface Run {
  readonly status: number | null;
  readonly out: string;
}

let n = 0;
function write(bundle: unknown): string {
  const file = join(dir, `bundle-${n++}.json`);
  writeFileSync(file, JSON.stringify(bundle));
  return file;
}
function standalone(file: string): Run {
  const r = spawnSync(process.execPath, [STANDALONE, file, '--key', key.verifierKey], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}
function cli(file: string, ...flags: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...flags, 'audit', 'verify-bundle', file, '--key', key.verifierKey], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

const honest = wholeLogBundle();
const ev = (i: number): ProofBundleV2['events'][number] => {
  const e = honest.events[i];
  if (e === undefined) throw new Error(`no event ${i}`);
  return e;
};
const duplicated = { ...honest, events: [...honest.events.slice(0, 6), ev(5), ...honest.events.slice(6)] };
const swapped = { ...honest, events: honest.events.map((e, i) => (i === 5 ? ev(6) : i === 6 ? ev(5) : e)) };
const dropped = { ...honest, events: honest.events.filter((e) => e.index !== 5) };

describe('a bundle that omits, repeats or reorders events', () => {
  it('the honest whole-log bundle verifies and both verifiers print the range they verified', () => {
    expect(honest.ranges).toEqual([{ from: 0, to: SIZE - 1 }]);
    const file = write(honest);
    const s = standalone(file);
    expect(s.status, s.out).toBe(0);
    expect(s.out).toContain(`complete over index ranges 0–${SIZE - 1} (the whole log)`);
    const c = cli(file);
    expect(c.status, c.out).toBe(0);
    expect(c.out).toContain(`complete over index ranges 0–${SIZE - 1} (the whole log)`);
    const json: unknown = JSON.parse(cli(file, '--json').out);
    expect(json).toMatchObject({
      ok: true,
      result: { eventsVerified: SIZE, ranges: [{ from: 0, to: SIZE - 1 }], complete: true, wholeLog: true },
    });
  });

  const cases: [string, unknown, string, RegExp][] = [
    ['a duplicated event', duplicated, 'duplicate-event', /event 5 appears more than once/],
    ['two swapped events', swapped, 'out-of-order-event', /event 5 comes after event 6/],
    ['a dropped event', dropped, 'missing-events', /event 5 missing from a stated range/],
  ];
  for (const [what, bundle, kind, sentence] of cases) {
    it(`${what} is rejected in-process, by the CLI (INTEGRITY_FAILURE, exit 50) and by the standalone verifier (exit 1)`, () => {
      // Each remaining event alone is still perfectly proven: only completeness catches the edit.
      const r = verifyBundle(bundle, { trustedKey: key.verifierKey });
      expect(r.valid).toBe(false);
      expect(r.failures.map((f) => f.kind)).toEqual([kind]);
      const file = write(bundle);
      const s = standalone(file);
      expect(s.status, s.out).toBe(1);
      expect(s.out).toContain(kind);
      expect(s.out).toMatch(sentence);
      const c = cli(file);
      expect(c.status, c.out).toBe(50);
      expect(c.out).toContain('INTEGRITY_FAILURE');
      expect(c.out).toContain(kind);
      expect(c.out).toMatch(sentence);
    });
  }

  it('a drop hidden by shrinking the stated range no longer claims the whole log', () => {
    const shrunk = { ...honest, ranges: [{ from: 0, to: SIZE - 2 }], events: honest.events.slice(0, -1) };
    const file = write(shrunk);
    const s = standalone(file);
    expect(s.status, s.out).toBe(0);
    expect(s.out).toMatch(new RegExp(`complete over index ranges 0–${SIZE - 2}$`, 'm'));
    expect(s.out).not.toContain('whole log');
    const c = cli(file, '--json');
    expect(JSON.parse(c.out)).toMatchObject({ ok: true, result: { ranges: [{ from: 0, to: SIZE - 2 }], wholeLog: false } });
  });

  it('a version 1 bundle (no ranges) is verified event by event and says completeness is not claimed', () => {
    const { ranges: _ranges, ...rest } = honest;
    const legacy = { ...rest, version: 1, events: rest.events.filter((e) => e.index !== 5) };
    const file = write(legacy);
    const s = standalone(file);
    expect(s.status, s.out).toBe(0);
    expect(s.out).toContain('completeness NOT claimed');
    const c = cli(file);
    expect(c.status, c.out).toBe(0);
    expect(c.out).toContain('completeness NOT claimed');
    // Duplicates are refused even without ranges: a repeated event is not one more proven event.
    const dup = write({ ...legacy, events: [...legacy.events, ev(SIZE - 1)] });
    expect(standalone(dup).status).toBe(1);
    expect(cli(dup).status).toBe(50);
  });
});
