// The zero-dependency verifier (bin/memory-vault-verify.mjs) against bundles the TS code builds:
// an honest bundle passes, and a one-character change anywhere meaningful fails, in agreement
// with verifyBundle.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
import type { ProofBundle } from '../../src/core/audit/index.js';

const BIN = fileURLToPath(new URL('../../bin/memory-vault-verify.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mv-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ORIGIN = 'vault.example/audit';
const key = generateNoteKey(ORIGIN);

function honestBundle(): ProofBundle {
  const signer = parseSignerKey(key.signerKey);
  if (!signer.ok) throw new Error('key');
  const store = new MemoryHashStore();
  const events = Array.from({ length: 37 }, (_, i) =>
    canonicalJson({ v: 1, seq: i, kind: i % 3 === 0 ? 'recall.denied' : 'recall', note: 'ü€😀' }),
  );
  const sign = (n: number): string =>
    signCheckpoint({ origin: ORIGIN, size: toTreeSize(n), rootHash: treeHash(n, store), extensions: [] }, signer.value);
  events.slice(0, 20).forEach((e) => store.appendLeafHash(hashLeaf(new TextEncoder().encode(e))));
  const older = sign(20);
  events.slice(20).forEach((e) => store.appendLeafHash(hashLeaf(new TextEncoder().encode(e))));
  return buildProofBundle({
    verifierKey: key.verifierKey,
    signedCheckpoint: sign(37),
    olderSignedCheckpoint: older,
    events: [0, 19, 20, 36].map((index) => ({ index, canonicalJson: events[index] as string })),
    reader: store,
  });
}

let n = 0;
function run(bundle: unknown, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, `b${n++}.json`);
  writeFileSync(file, typeof bundle === 'string' ? bundle : JSON.stringify(bundle));
  const r = spawnSync(process.execPath, [BIN, file, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function flipChar(s: string, at: number): string {
  const i = at % s.length;
  return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ 0x01) + s.slice(i + 1);
}

describe('bin/memory-vault-verify.mjs', () => {
  const bundle = honestBundle();

  it('accepts an honest bundle (exit 0), with the bundle key and with --key', () => {
    expect(run(bundle).status).toBe(0);
    const pinned = run(bundle, '--key', key.verifierKey, '--json');
    expect(pinned.status).toBe(0);
    expect(JSON.parse(pinned.stdout)).toMatchObject({ valid: true, keyTrusted: true, failures: [] });
  });

  it('rejects a bundle under another trusted key (exit 1)', () => {
    const r = run(bundle, '--key', generateNoteKey(ORIGIN).verifierKey);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/untrusted-key/);
  });

  it('exits 2 on usage errors', () => {
    expect(spawnSync(process.execPath, [BIN], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, [BIN, join(dir, 'missing.json')], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, [BIN, 'a.json', '--key'], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, [BIN, 'a.json', '--bogus'], { encoding: 'utf8' }).status).toBe(2);
  });

  it('rejects (exit 1) a one-character change in any field, agreeing with verifyBundle', () => {
    const e = (i: number): ProofBundle['events'][number] => bundle.events[i] as ProofBundle['events'][number];
    const withEvent = (i: number, patch: Partial<ProofBundle['events'][number]>): ProofBundle => ({
      ...bundle,
      events: bundle.events.map((x, j) => (j === i ? { ...x, ...patch } : x)),
    });
    const mutants: [string, unknown][] = [];
    for (const at of [0, 5, 13, 40, 55]) mutants.push([`verifierKey@${at}`, { ...bundle, verifierKey: flipChar(bundle.verifierKey, at) }]);
    for (const at of [0, 10, 21, 24, 30, 60, 75, 90, 110, 150]) {
      mutants.push([`checkpoint@${at}`, { ...bundle, checkpoint: flipChar(bundle.checkpoint, at) }]);
      mutants.push([`olderCheckpoint@${at}`, { ...bundle, olderCheckpoint: flipChar(bundle.olderCheckpoint ?? '', at) }]);
    }
    (bundle.consistencyProof ?? []).forEach((h, i) =>
      mutants.push([
        `consistency[${i}]`,
        { ...bundle, consistencyProof: (bundle.consistencyProof ?? []).map((x, j) => (j === i ? flipChar(h, 7) : x)) },
      ]),
    );
    for (let i = 0; i < bundle.events.length; i++) {
      for (const at of [1, 9, 30])
        mutants.push([`event ${i} json@${at}`, withEvent(i, { canonicalJson: flipChar(e(i).canonicalJson, at) })]);
      for (const at of [3, 30, 50, 80, 100, 140, 200])
        mutants.push([`event ${i} tlogProof@${at}`, withEvent(i, { tlogProof: flipChar(e(i).tlogProof, at) })]);
      mutants.push([`event ${i} index`, withEvent(i, { index: e(i).index + 1 })]);
    }
    mutants.push(['dropped consistency proof hash', { ...bundle, consistencyProof: (bundle.consistencyProof ?? []).slice(1) }]);
    mutants.push(['not JSON', '{"format":']);
    for (const [what, mutant] of mutants) {
      const r = run(mutant);
      expect(r.status, `${what}: ${r.stdout}${r.stderr}`).toBe(1);
      if (typeof mutant !== 'string') expect(verifyBundle(mutant).valid, what).toBe(false);
    }
  });
});
