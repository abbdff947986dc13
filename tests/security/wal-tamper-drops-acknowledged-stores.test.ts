// Threat: the tail of the log vanishes with its own checkpoints. After a SIGKILL the last
// acknowledged, fsynced level-3 stores live only in vault.db-wal; one flipped bit there makes
// SQLite drop the damaged frame and everything after it, a deleted WAL drops all of it, and an
// older vault.db copied back drops everything since. The database is then a shorter log that
// is consistent with itself, so the in-database checks pass. The checkpoint recorded beside
// the vault (checkpoint.json, written before each durable commit is acknowledged) must make the
// next unlock, `status` and `audit verify` fail with INTEGRITY_FAILURE naming both sizes.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { unlockVault } from '../../src/node/composition/vault-sessions.js';
import { BIN, cliVault, Watched, type CliVault } from '../agent-api/cli-process.js';

const PASSPHRASE = 'correct horse battery staple';
const STORES = 40;
let v: CliVault;
let olderDb: string;
let scratch: string;

interface CliError {
  readonly code: string;
  readonly details: { readonly recordedSize?: unknown; readonly databaseSize?: unknown };
}

beforeAll(async () => {
  v = cliVault();
  scratch = mkdtempSync(join(tmpdir(), 'mv-wal-tamper-'));
  const token = v.json<{ token: string }>(['agent', 'add', 'writer', '--max-level', '3']).token;
  // The vault is closed here (checkpointed into vault.db): an "older copy" an attacker could keep.
  olderDb = join(scratch, 'older-vault.db');
  copyFileSync(join(v.dir, 'vault.db'), olderDb);

  const serve = new Watched(spawn(process.execPath, [BIN, '--json', 'serve'], { env: v.env, stdio: ['pipe', 'pipe', 'pipe'] }));
  const m = await serve.waitFor(/"event":"listening".*?"pid":(\d+)/, 30_000);
  const client = await AgentClient.connect({ socketPath: join(v.dir, 'agent.sock'), token, timeoutMs: 10_000 });
  for (let i = 0; i < STORES; i++) {
    // Level 3: committed with synchronous=FULL and acknowledged only after that.
    await client.store({ content: `acknowledged level-3 store ${i}`, level: 3, title: `l3-${i}` });
  }
  process.kill(Number(m[1]), 'SIGKILL');
  client.close();
  await serve.exited();
}, 120_000);

afterAll(() => {
  v?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A copy of the killed vault (with its WAL and checkpoint.json), changed by `damage`. */
function damagedCopy(name: string, damage: (dir: string) => void): string {
  const dir = join(scratch, name);
  cpSync(v.dir, dir, { recursive: true, filter: (src) => !src.endsWith('.sock') && !src.endsWith('.lock') });
  damage(dir);
  return dir;
}

function flipBitInWal(dir: string): void {
  const wal = join(dir, 'vault.db-wal');
  const size = statSync(wal).size;
  expect(size).toBeGreaterThan(32 * 1024); // the acknowledged stores are still only in the WAL
  // Past the 32-byte WAL header, in the middle of the frames: the frame's checksum breaks.
  const at = Math.floor(size / 2);
  const fd = openSync(wal, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    b[0] = (b[0] as number) ^ 0x10;
    writeSync(fd, b, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

function cli(dir: string, args: string[]): { status: number; error: CliError; stderr: string } {
  const r = spawnCli(dir, args);
  const doc = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ok: boolean; error?: CliError };
  expect(doc.ok).toBe(false);
  return { status: r.status, error: doc.error as CliError, stderr: r.stderr };
}

function spawnCli(dir: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, '--json', '--vault', dir, ...args], { env: v.env, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function unlockError(dir: string): Promise<CliError> {
  try {
    const s = await unlockVault({ dir, credentials: { kind: 'passphrase', passphrase: PASSPHRASE } });
    s.close();
  } catch (e) {
    return e as CliError;
  }
  throw new Error('unlock succeeded on a shortened log');
}

function expectShortened(e: CliError): void {
  expect(e.code).toBe('INTEGRITY_FAILURE');
  expect(typeof e.details.recordedSize).toBe('number');
  expect(typeof e.details.databaseSize).toBe('number');
  expect(e.details.recordedSize as number).toBeGreaterThan(e.details.databaseSize as number);
}

describe('a log shortened with its own checkpoints is detected without any setup', () => {
  it('the intact killed vault opens and keeps every acknowledged level-3 store (control)', async () => {
    const dir = damagedCopy('intact', () => undefined);
    const verified = spawnCli(dir, ['audit', 'verify']);
    expect(verified.status).toBe(0);
    const doc = JSON.parse(verified.stdout) as { result: { record: { recordedSize: number; databaseSize: number } } };
    expect(doc.result.record.recordedSize).toBe(doc.result.record.databaseSize);
    const s = await unlockVault({ dir, credentials: { kind: 'passphrase', passphrase: PASSPHRASE } });
    try {
      expect(s.engine.status().memories[3]).toBe(STORES);
      expect((await s.engine.auditLog.verify()).ok).toBe(true);
    } finally {
      s.close();
    }
  });

  it('one flipped bit in vault.db-wal: unlock, status and audit verify say INTEGRITY_FAILURE with both sizes', async () => {
    const dir = damagedCopy('bit-flip', flipBitInWal);
    const verify = cli(dir, ['audit', 'verify']);
    expectShortened(verify.error);
    expect(verify.status).toBe(50);
    expectShortened(cli(dir, ['status']).error);
    expectShortened(await unlockError(dir));
  });

  it('a deleted WAL is detected the same way', async () => {
    const dir = damagedCopy('no-wal', (d) => unlinkSync(join(d, 'vault.db-wal')));
    expect(existsSync(join(dir, 'vault.db-wal'))).toBe(false);
    expectShortened(cli(dir, ['audit', 'verify']).error);
    expectShortened(await unlockError(dir));
  });

  it('an older vault.db put back (its WAL gone) is detected the same way', async () => {
    const dir = damagedCopy('older-db', (d) => {
      rmSync(join(d, 'vault.db-wal'), { force: true });
      rmSync(join(d, 'vault.db-shm'), { force: true });
      copyFileSync(olderDb, join(d, 'vault.db'));
    });
    expectShortened(cli(dir, ['audit', 'verify']).error);
    expectShortened(await unlockError(dir));
  });

  it('the failure is audited and turns lockdown on, and the record is not moved back by it', async () => {
    const dir = damagedCopy('audited', (d) => unlinkSync(join(d, 'vault.db-wal')));
    const first = await unlockError(dir);
    const second = await unlockError(dir);
    expectShortened(second);
    expect(second.details.recordedSize).toBe(first.details.recordedSize);
    // Read the damaged log as it is, bypassing the check, to see what the failed unlock left.
    rmSync(join(dir, 'checkpoint.json'));
    const s = await unlockVault({ dir, credentials: { kind: 'passphrase', passphrase: PASSPHRASE } });
    try {
      expect(s.engine.lockdownStatus().on).toBe(true);
      const failures = s.engine.auditLog.list({ kind: 'integrity.failure', limit: 10 });
      expect(failures.length).toBeGreaterThanOrEqual(1);
      expect(failures[0]?.json).toContain('recordedSize');
    } finally {
      s.close();
    }
  });
});
