// The issue-7 commands on the compiled CLI with --json: rotate-key, escrow create/list + recover,
// lockdown-rules, deadman status (arming needs a physical key: covered in deadman.test.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { runCli } from './support/cli.js';

let root: string;
let vault: string;
let env: Record<string, string>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mv-recovery-cli-'));
  vault = join(root, 'vault');
  const pass = join(root, 'pass.txt');
  writeFileSync(pass, `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
  const fresh = join(root, 'new-pass.txt');
  writeFileSync(fresh, 'the recovered passphrase\n', { mode: 0o600 });
  env = { MEMORY_VAULT_PASSPHRASE_FILE: pass, MEMORY_VAULT_NEW_PASSPHRASE_FILE: fresh, HOME: root };
  expect((await runCli(['--vault', vault, '--json', 'init', '--kdf-memory', '8', '--kdf-ops', '1'], { env })).json?.ok).toBe(true);
  for (let i = 0; i < 3; i++) {
    const file = join(root, `c${i}.txt`);
    writeFileSync(file, `content ${i}`);
    expect(
      (await runCli(['--vault', vault, '--json', 'store', '--level', '1', '--title', `t${i}`, '--file', file], { env })).json?.ok,
    ).toBe(true);
  }
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

const v = (args: string[], extra: Record<string, string> = {}) =>
  runCli(['--vault', vault, '--json', ...args], { env: { ...env, ...extra } });

describe('recovery commands (CLI)', () => {
  it('rotate-key --json reports fingerprints and shows progress on stderr; the vault still opens', async () => {
    const r = await v(['rotate-key']);
    expect(r.json?.ok, r.stderr).toBe(true);
    expect(r.json?.result).toMatchObject({ memories: 3, full: false });
    expect(r.json?.result?.from).not.toBe(r.json?.result?.to);
    expect(r.stderr).toMatch(/rotate-key: rewrapping memory keys 100% \(3\/3\)/);
    const full = await v(['rotate-key', '--full']);
    expect(full.json?.ok, full.stderr).toBe(true);
    expect(full.json?.result?.from).toBe(r.json?.result?.to);
    expect((await v(['status'])).json?.ok).toBe(true);
  }, 60_000);

  it('lockdown-rules set/show round-trip; bad values are INVALID_INPUT', async () => {
    const set = await v(['lockdown-rules', 'set', '--max-refusals', '4', '--window', '30s', '--on-integrity-failure', 'on']);
    expect(set.json?.ok, set.stderr).toBe(true);
    const show = await v(['lockdown-rules', 'show']);
    expect(show.json?.result).toEqual({ maxRefusals: 4, windowMs: 30_000, onIntegrityFailure: true, maxBadCredentials: null });
    expect((await v(['lockdown-rules', 'set', '--window', 'soon'])).json?.error?.code).toBe('INVALID_INPUT');
  }, 60_000);

  it('deadman status says not armed; disarm without a switch is NOT_FOUND', async () => {
    expect((await v(['deadman', 'status'])).json?.result).toMatchObject({ armed: false, phase: 'disarmed' });
    expect((await v(['deadman', 'checkin'])).json?.error?.code).toBe('NOT_FOUND');
  }, 60_000);

  it('escrow create writes text shares; escrow list shows fingerprints; recover with 2 of 3 sets a new passphrase', async () => {
    const out = join(root, 'shares');
    const c = await v(['escrow', 'create', '--threshold', '2', '--text-shares', '3', '--out-dir', out, '--label', 'family']);
    expect(c.json?.ok, c.stderr).toBe(true);
    const files = readdirSync(out).map((f) => join(out, f));
    expect(files).toHaveLength(3);
    expect(readFileSync(files[0] ?? '', 'utf8')).toMatch(/^MVS1-/);
    const list = await v(['escrow', 'list']);
    expect((list.json?.result as unknown as { shareFingerprints: unknown[] }[])[0]?.shareFingerprints).toHaveLength(3);
    const tooFew = await v(['recover', '--share', files[0] ?? '', '--kdf-memory', '8', '--kdf-ops', '1']);
    expect(tooFew.json?.error?.code).toBe('INVALID_INPUT');
    const rec = await v(['recover', '--share', files[2] ?? '', '--share', files[0] ?? '', '--kdf-memory', '8', '--kdf-ops', '1']);
    expect(rec.json?.ok, rec.stderr).toBe(true);
    expect(rec.json?.result?.memories).toBe(3);
    expect((await v(['status'])).json?.error?.code).toBe('BAD_CREDENTIALS');
    const withNew = await v(['status'], { MEMORY_VAULT_PASSPHRASE_FILE: join(root, 'new-pass.txt') });
    expect(withNew.json?.ok, withNew.stderr).toBe(true);
  }, 60_000);
});
