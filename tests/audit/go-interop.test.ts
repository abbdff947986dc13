// Interop with Go's unmodified golang.org/x/mod/sumdb/note and sumdb/tlog (DESIGN §5: checkpoints
// "must verify with Go's ... unmodified"). Runs only where Go and the Debian package
// golang-golang-x-mod-dev are installed (CI installs both); otherwise it says why it skipped.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MemoryHashStore,
  canonicalJson,
  checkRecord,
  checkTree,
  decodeBase64Strict,
  encodeBase64,
  generateNoteKey,
  hashLeaf,
  openCheckpoint,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  proveRecord,
  proveTree,
  signCheckpoint,
  signNote,
  storedHashCount,
  toTreeSize,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/core/audit/index.js';
import type { Hash } from '../../src/core/audit/index.js';
import { runCli } from '../recovery/support/cli.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';

const GOPATH = '/usr/share/gocode';
const goOnPath = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
const xmod = existsSync(join(GOPATH, 'src/golang.org/x/mod/sumdb/note')) && existsSync(join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog'));
const goAvailable = goOnPath && xmod;
if (!goAvailable) {
  console.warn(
    `go-interop: SKIPPED — ${goOnPath ? '' : '`go` is not on PATH; '}${xmod ? '' : `${GOPATH}/src/golang.org/x/mod is missing; `}` +
      'install golang-go and golang-golang-x-mod-dev to run the Go interoperability tests.',
  );
}

const dir = mkdtempSync(join(tmpdir(), 'mv-go-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(fileURLToPath(new URL('./go-interop/main.go', import.meta.url)), join(dir, 'main.go'));

// GOPATH mode against the Debian source tree: no module download, no network.
const goEnv = { ...process.env, GO111MODULE: 'off', GOPATH, GOFLAGS: '', GOCACHE: join(dir, 'gocache'), GOTOOLCHAIN: 'local' };

function go(...args: string[]): string {
  return execFileSync('go', ['run', 'main.go', ...args], { cwd: dir, encoding: 'utf8', env: goEnv }).trim();
}

function goFails(...args: string[]): string {
  const r = spawnSync('go', ['run', 'main.go', ...args], { cwd: dir, encoding: 'utf8', env: goEnv });
  expect(r.status).not.toBe(0);
  return r.stdout;
}

const b64 = (h: Uint8Array): string => encodeBase64(h);
const unb64 = (s: string): Hash => {
  const h = decodeBase64Strict(s);
  if (h === undefined) throw new Error(`Go produced bad base64 ${s}`);
  return h;
};

describe('Go golang.org/x/mod/sumdb interoperability', () => {
  it.skipIf(!goAvailable)('Go opens our signed checkpoints and accepts our inclusion and consistency proofs', () => {
    const origin = 'vault.example/audit';
    const key = generateNoteKey(origin);
    const signer = parseSignerKey(key.signerKey);
    if (!signer.ok) throw new Error('key');
    const store = new MemoryHashStore();
    const leafHashes: Hash[] = [];
    const append = (i: number): void => {
      const h = hashLeaf(new TextEncoder().encode(canonicalJson({ v: 1, seq: i, kind: 'recall' })));
      leafHashes.push(h);
      store.appendLeafHash(h);
    };
    for (let i = 0; i < 300; i++) append(i);
    const olderSize = 300;
    const olderRoot = treeHash(olderSize, store);
    for (let i = 300; i < 1037; i++) append(i);
    const size = 1037;
    const root = treeHash(size, store);
    const cp = (o: string, n: number, r: Hash): string =>
      signCheckpoint({ origin: o, size: toTreeSize(n), rootHash: r, extensions: [] }, signer.value);
    const input = {
      verifierKey: key.verifierKey,
      checkpoint: cp(origin, size, root),
      olderCheckpoint: cp(origin, olderSize, olderRoot),
      consistency: proveTree(size, olderSize, store).map(b64),
      inclusions: [0, 1, 299, 300, 511, 512, 1000, 1036].map((index) => ({
        index,
        leafHash: b64(leafHashes[index] as Hash),
        proof: proveRecord(size, index, store).map(b64),
      })),
      goTreeNote: cp('go.sum database tree', size, root),
      leafHashes: leafHashes.map(b64),
      storedHashes: store.readHashes(Array.from({ length: storedHashCount(size) }, (_, i) => i)).map(b64),
    };
    writeFileSync(join(dir, 'check.json'), JSON.stringify(input));
    expect(go('check', join(dir, 'check.json'))).toBe('OK');
    // And Go's check is not vacuous: one changed proof hash makes it fail.
    const bad = {
      ...input,
      inclusions: input.inclusions.map((x, i) => (i === 3 ? { ...x, proof: [b64(new Uint8Array(32)), ...x.proof.slice(1)] } : x)),
    };
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    expect(goFails('check', join(dir, 'bad.json'))).toMatch(/tlog\.CheckRecord\(300\)/);
  });

  it.skipIf(!goAvailable)('we open notes Go signed, sign identically with Go keys, and accept Go proofs', () => {
    const out = JSON.parse(go('make', 'go.example/log', '100')) as {
      signerKey: string;
      verifierKey: string;
      text: string;
      signed: string;
      leafHashes: string[];
      storedHashes: string[];
      root: string;
      inclusions: { index: number; proof: string[] }[];
      consistency: { index: number; proof: string[] }[];
    };
    const verifier = parseVerifierKey(out.verifierKey);
    const signer = parseSignerKey(out.signerKey);
    if (!verifier.ok || !signer.ok) throw new Error('Go keys did not parse');
    expect(signer.value.verifierKey).toBe(out.verifierKey);
    const opened = openNote(out.signed, [verifier.value]);
    expect(opened.ok && opened.note.text).toBe(out.text);
    expect(signNote(out.text, [signer.value])).toBe(out.signed); // Ed25519 is deterministic
    const cp = openCheckpoint(out.signed, verifier.value);
    expect(cp.ok && [cp.checkpoint.size, b64(cp.checkpoint.rootHash)]).toEqual([100, out.root]);

    const store = new MemoryHashStore();
    out.leafHashes.forEach((h) => store.appendLeafHash(unb64(h)));
    expect(store.readHashes(out.storedHashes.map((_, i) => i)).map(b64)).toEqual(out.storedHashes);
    const root = unb64(out.root);
    expect(b64(treeHash(100, store))).toBe(out.root);
    for (const inc of out.inclusions) {
      const proof = inc.proof.map(unb64);
      const leaf = unb64(out.leafHashes[inc.index] as string);
      expect(checkRecord(proof, 100, root, inc.index, leaf).ok).toBe(true);
      expect(verifyInclusion(inc.index, 100, leaf, proof, root).ok).toBe(true);
    }
    for (const c of out.consistency) {
      const proof = (c.proof ?? []).map(unb64);
      const old = treeHash(c.index, store);
      expect(checkTree(proof, 100, root, c.index, old).ok).toBe(true);
      expect(verifyConsistency(c.index, 100, old, root, proof).ok).toBe(true);
    }
  });

  it.skipIf(!goAvailable)(
    'Go verifies what `audit prove --from-size` prints against the checkpoint it prints and one saved earlier',
    async () => {
      const vaultDir = join(dir, 'vault');
      const passFile = join(dir, 'pass.txt');
      writeFileSync(passFile, `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
      const env = { MEMORY_VAULT_PASSPHRASE_FILE: passFile, HOME: dir };
      const cli = async (...args: string[]): Promise<Record<string, unknown>> => {
        const r = await runCli(['--vault', vaultDir, '--json', ...args], { env });
        expect(r.json?.ok, r.stderr).toBe(true);
        return r.json?.result ?? {};
      };
      await cli('init', '--kdf-memory', '8', '--kdf-ops', '1');
      const store = (t: string) =>
        runCli(['--vault', vaultDir, '--json', 'store', '--level', '1', '--title', t, '--file', passFile], { env });
      await store('one');
      const saved = await cli('audit', 'checkpoint');
      const savedSize = Number(saved.size);
      await store('two');
      await store('three');
      const proof = await cli('audit', 'prove', '--event', '1', '--from-size', String(savedSize));
      const key = await cli('audit', 'key');
      // The consistency proof goes to the tree of the checkpoint the command printed, not beyond it.
      const consistency = proof.consistency as { toSize: number; fromSize: number; olderCheckpoint: string };
      expect(consistency.toSize).toBe(proof.treeSize);
      expect(consistency.fromSize).toBe(savedSize);
      expect(consistency.olderCheckpoint).toBe(saved.note);
      // An auditor holding only the size can fetch that stored checkpoint back.
      expect((await cli('audit', 'checkpoints', '--size', String(savedSize))).note).toBe(saved.note);
      const input = join(dir, 'cliproof.json');
      writeFileSync(
        input,
        JSON.stringify({
          verifierKey: key.verifierKey,
          savedCheckpoint: saved.note,
          event: proof.event,
          tlogProof: proof.tlogProof,
          consistency: proof.consistency,
        }),
      );
      expect(go('cliproof', input)).toBe('OK');
      // Text mode prints the consistency proof too, instead of dropping it.
      const text = await runCli(['--vault', vaultDir, 'audit', 'prove', '--event', '1', '--from-size', String(savedSize)], { env });
      expect(text.stdout).toMatch(/consistency proof from tree size \d+ to \d+/);
    },
    180_000,
  );
});
