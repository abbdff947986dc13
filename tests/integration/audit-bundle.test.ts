// Bundle round trip: export after 1,000 mixed events, verify with the CLI and the standalone
// verifier; a bundle with one changed byte anywhere is rejected.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../src/core/audit/index.js';
import type { Requester } from '../../src/core/model/requester.js';
import { approvingGate, newVault, TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { fuzzRuns } from '../support/fuzz.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent: Requester = { kind: 'agent', agentId: 'bundle-agent', name: 'a', maxLevel: 1, namespaces: null };
const CLI = join(process.cwd(), 'bin', 'memory-vault.js');
const STANDALONE = join(process.cwd(), 'bin', 'memory-vault-verify.mjs');

let work: string;
let bundleText: string;
let verifierKey: string;
let remove: () => void;

beforeAll(async () => {
  if (!existsSync(join(process.cwd(), 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build:node` (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'mv-bundle-'));
  const v = await newVault({ gates: { approvals: approvingGate() }, config: { checkpoints: { everyEvents: 100, everyMs: 60_000 } } });
  remove = v.remove;
  const e = v.session.engine;
  const ids: string[] = [];
  // Mixed events: stores at several levels, recalls, refusals, searches.
  for (let i = 0; i < 250; i++)
    ids.push((await e.store({ content: `bundle memory ${i}`, level: (i % 4) as 0 | 1 | 2 | 3, title: `m${i}` }, owner)).id);
  for (let i = 0; i < 250; i++) await e.recall({ memoryId: ids[i]! }, i % 5 === 0 ? agent : owner).catch(() => undefined);
  for (let i = 0; i < 200; i++) await e.search({ query: `m${i}` }, owner);
  for (let i = 0; i < 300; i++) await e.list({ limit: 1 }, agent);
  expect(v.session.repo.auditSize()).toBeGreaterThanOrEqual(1000);
  v.session.close();
  const pp = join(work, 'pp');
  writeFileSync(pp, TEST_PASSPHRASE);
  const out = join(work, 'bundle.json');
  execFileSync(process.execPath, [CLI, '--vault', v.dir, 'audit', 'export', '--out', out], {
    env: { ...process.env, MEMORY_VAULT_PASSPHRASE_FILE: pp },
  });
  bundleText = readFileSync(out, 'utf8');
  verifierKey = JSON.parse(
    execFileSync(process.execPath, [CLI, '--vault', v.dir, '--json', 'audit', 'key'], {
      env: { ...process.env, MEMORY_VAULT_PASSPHRASE_FILE: pp },
    }).toString(),
  ).result.verifierKey;
}, 240_000);

afterAll(() => {
  remove?.();
  if (work) rmSync(work, { recursive: true, force: true });
});

function cliVerify(file: string): number {
  return spawnSync(process.execPath, [CLI, 'audit', 'verify-bundle', file, '--key', verifierKey]).status ?? -1;
}

function standaloneVerify(file: string): number {
  return spawnSync(process.execPath, [STANDALONE, file, '--key', verifierKey]).status ?? -1;
}

function mutate(text: string, pos: number, delta: number): string {
  const bytes = Buffer.from(text, 'utf8');
  const i = pos % bytes.length;
  bytes[i] = (bytes[i]! + delta) & 0xff;
  return bytes.toString('latin1') === text ? text : bytes.toString('utf8');
}

describe('proof bundle round trip', () => {
  it('a bundle of 1,000+ mixed events verifies in-process, with the CLI and with the standalone verifier', () => {
    const parsed: unknown = JSON.parse(bundleText);
    const r = verifyBundle(parsed, { trustedKey: verifierKey });
    expect(r.valid).toBe(true);
    expect(r.eventsVerified).toBeGreaterThanOrEqual(1000);
    const file = join(work, 'ok.json');
    writeFileSync(file, bundleText);
    expect(cliVerify(file)).toBe(0);
    expect(standaloneVerify(file)).toBe(0);
  });

  it('one changed byte anywhere makes the in-process verifier reject it', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (pos, delta) => {
        const bad = mutate(bundleText, pos, delta);
        let parsed: unknown;
        try {
          parsed = JSON.parse(bad);
        } catch {
          return; // unparsable: rejected before any check
        }
        expect(verifyBundle(parsed, { trustedKey: verifierKey }).valid).toBe(false);
      }),
      { numRuns: fuzzRuns(60) },
    );
  });

  it('one changed byte makes the CLI and the standalone verifier reject it', () => {
    const positions = [10, Math.floor(bundleText.length / 3), Math.floor(bundleText.length / 2), bundleText.length - 40];
    for (const [i, pos] of positions.entries()) {
      const file = join(work, `bad-${i}.json`);
      writeFileSync(file, mutate(bundleText, pos, 1));
      // 50 = INTEGRITY_FAILURE, 20 = INVALID_INPUT (no longer JSON); never 0.
      expect([20, 50]).toContain(cliVerify(file));
      expect(standaloneVerify(file)).toBe(1);
    }
  });
});
