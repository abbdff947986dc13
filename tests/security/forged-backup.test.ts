// Threat: a forged backup. The age recipient is printed in every backup header and vault.json is
// not secret, so anyone can seal a new backup file that the owner's identity opens. Before the fix
// `backup verify` and `restore` trusted the audit keys inside the backup and accepted zero
// checkpoints: a forgery planted an agent token that later read the owner's level-2 memories.
// Now a backup must carry a manifest signed by the audit key of the vault it replaces (or the
// owner's --key) and at least one checkpoint under that key: forgeries are INTEGRITY_FAILURE
// (exit 50) from verify and restore, and the vault is left as it was.
//
// The forgeries are built the way an attacker would, from the public format only: the recipient
// read from a genuine backup's header, the victim's vault.json, and the rows of a vault the
// attacker controls (signed with that vault's key, i.e. a key foreign to the victim), or a
// fabricated audit key with no checkpoints at all.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as age from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNoteKey, parseSignerKey, type NoteSigner } from '../../src/core/audit/index.js';
import { encodeHeader, encodeRecord, sealChunk, type BackupHeader } from '../../src/core/backup/backup-format.js';
import { sectionOf, SectionDigester, signManifest } from '../../src/core/backup/backup-manifest.js';
import { AgentRegistry } from '../../src/node/agent-api/agent-registry.js';
import { readBackupHeader } from '../../src/node/backup/backup-reader.js';
import { BACKUP_TABLES, pageRows } from '../../src/node/backup/backup-tables.js';
import { initVault } from '../../src/node/composition/vault-sessions.js';
import { type VaultSession } from '../../src/node/vault/vault-session.js';
import { cliVault, type CliVault } from '../agent-api/cli-process.js';
import { CHEAP_KDF } from '../support/vault-fixture.js';

// src/cli/io/exit-codes.ts (the stable table in docs/AGENT-API.md)
const EXIT = { INVALID_INPUT: 20, INTEGRITY_FAILURE: 50 } as const;

type Row = { table: string; row: Record<string, unknown> };

/** A backup file written with the public format only: no key of the victim's but the age recipient. */
async function forge(
  out: string,
  o: { version: 1 | 2; recipient: string; vaultHeader: unknown; vaultId: string; toSeq: number; rows: readonly Row[]; signer?: NoteSigner },
): Promise<void> {
  const key = randomBytes(32);
  const e = new age.Encrypter();
  e.addRecipient(o.recipient);
  const wrappedKey = Buffer.from(await e.encrypt(key)).toString('base64');
  const header: BackupHeader = {
    format: 'memory-vault-backup',
    version: o.version,
    backupId: randomUUID(),
    kind: 'full',
    parentId: null,
    vaultId: o.vaultId,
    createdAt: new Date().toISOString(),
    fromSeq: 0,
    toSeq: o.toSeq,
    protection: { kind: 'age', recipient: o.recipient, wrappedKey },
    excludedProfiles: [],
  };
  const { bytes, digest } = encodeHeader(header);
  const sections = new SectionDigester();
  const records = [{ t: 'vault-header', header: o.vaultHeader }, ...o.rows.map((r) => ({ t: 'row', table: r.table, row: r.row }))].map(
    (rec) => {
      const enc = encodeRecord(rec);
      sections.add(sectionOf(rec), enc);
      return enc;
    },
  );
  if (o.version === 2 && o.signer) {
    const note = signManifest(
      { vaultId: o.vaultId, backupId: header.backupId, headerDigest: digest.toString('hex'), sections: sections.sections() },
      o.signer,
    );
    records.push(encodeRecord({ t: 'manifest', note }));
  }
  writeFileSync(out, Buffer.concat([bytes, sealChunk(key, digest, 0, true, Buffer.concat(records))]));
}

function tableRows(s: VaultSession): Row[] {
  const out: Row[] = [];
  for (const table of BACKUP_TABLES) for (const row of pageRows(s.database, table)) out.push({ table, row });
  return out;
}

let victim: CliVault;
let root = '';
let idFile = '';
let genuine = '';
let victimKey = '';
let freshKey = '';
const forged: Record<string, string> = {};

function run(args: string[]): { status: number; code: string | undefined; message: string; stderr: string } {
  const r = victim.cli(['--json', ...args]);
  const doc = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ok?: boolean; error?: { code?: string; message?: string } };
  return { status: r.status, code: doc.ok ? 'OK' : doc.error?.code, message: doc.error?.message ?? '', stderr: r.stderr };
}

beforeAll(async () => {
  victim = cliVault();
  // An unexpected error (INTERNAL) prints its stack to stderr, which the failing assertion shows.
  victim.env.MEMORY_VAULT_DEBUG = '1';
  root = dirname(victim.dir);
  const identity = await age.generateX25519Identity();
  idFile = join(root, 'identity.txt');
  writeFileSync(idFile, `${identity}\n`, { mode: 0o600 });
  victim.json(['store', '--level', '2', '--title', 'owner note'], 'level-2 secret of the owner');
  genuine = join(root, 'genuine.mvbak');
  victim.json(['backup', 'create', '--out', genuine, '--age-recipient', await age.identityToRecipient(identity)]);
  victimKey = victim.json<{ verifierKey: string }>(['audit', 'key']).verifierKey;

  // What the attacker holds: the recipient from the header, and a copy of vault.json.
  const recipient = readBackupHeader(genuine).protection;
  if (recipient.kind !== 'age') throw new Error('expected an age backup');
  const vaultHeader: unknown = JSON.parse(readFileSync(join(victim.dir, 'vault.json'), 'utf8'));
  const vaultId = readBackupHeader(genuine).vaultId;

  // The attacker's own vault: real rows, checkpoints and an agent token the attacker knows.
  const attacker = await initVault({
    dir: join(root, 'attacker'),
    credentials: { kind: 'passphrase', passphrase: 'attacker passphrase' },
    kdfCost: CHEAP_KDF,
  });
  new AgentRegistry(attacker.database).create({ name: 'planted', maxLevel: 2, namespaces: null, expiresAt: null });
  await attacker.engine.auditLog.checkpointNow();
  const toSeq = attacker.repo.auditSize();
  const rows = tableRows(attacker);
  const attackerSigner = attacker.engine.auditLog.keys.signer;
  const agentRows = rows.filter((r) => r.table === 'agents');
  attacker.close();

  const base = { recipient: recipient.recipient, vaultHeader, vaultId };
  forged.foreignSigned = join(root, 'foreign-signed.mvbak');
  await forge(forged.foreignSigned, { ...base, version: 2, toSeq, rows, signer: attackerSigner });
  forged.foreignUnsigned = join(root, 'foreign-unsigned.mvbak');
  await forge(forged.foreignUnsigned, { ...base, version: 1, toSeq, rows });

  // A fabricated audit key, no audit events and no checkpoints: only the planted agent.
  const fresh = generateNoteKey(`memory-vault/${vaultId}`);
  freshKey = fresh.verifierKey;
  const signer = parseSignerKey(fresh.signerKey);
  if (!signer.ok) throw new Error('fresh signer');
  const bare = [{ table: 'vault_state', row: { key: 'audit.verifier', value: fresh.verifierKey } }, ...agentRows];
  forged.noCheckpoints = join(root, 'no-checkpoints.mvbak');
  await forge(forged.noCheckpoints, { ...base, version: 2, toSeq: 0, rows: bare, signer: signer.value });
  forged.noCheckpointsUnsigned = join(root, 'no-checkpoints-unsigned.mvbak');
  await forge(forged.noCheckpointsUnsigned, { ...base, version: 1, toSeq: 0, rows: bare });
}, 120_000);

afterAll(() => victim?.remove());

describe('forged backups', () => {
  it('verify refuses every forgery with INTEGRITY_FAILURE (exit 50), also with --accept-unsigned', () => {
    for (const [name, file] of Object.entries(forged)) {
      for (const extra of [[], ['--accept-unsigned']]) {
        const r = run(['backup', 'verify', file, '--age-identity', idFile, ...extra]);
        expect({ name, extra, code: r.code, status: r.status }, r.stderr).toEqual({
          name,
          extra,
          code: 'INTEGRITY_FAILURE',
          status: EXIT.INTEGRITY_FAILURE,
        });
      }
    }
  }, 120_000);

  it('zero checkpoints is refused even when the owner passes the very key that signed it', () => {
    const r = run(['backup', 'verify', forged.noCheckpoints ?? '', '--age-identity', idFile, '--key', freshKey]);
    expect(r).toMatchObject({ code: 'INTEGRITY_FAILURE', status: EXIT.INTEGRITY_FAILURE });
    expect(r.message).toMatch(/no signed checkpoint/);
  });

  it('restore --replace refuses every forgery and leaves the vault as it was', () => {
    const ino = statSync(victim.dir).ino;
    const header = readFileSync(join(victim.dir, 'vault.json'));
    for (const [name, file] of Object.entries(forged)) {
      const r = run(['backup', 'restore', file, '--target', victim.dir, '--replace', '--age-identity', idFile, '--accept-unsigned']);
      expect({ name, code: r.code, status: r.status }, r.stderr).toEqual({
        name,
        code: 'INTEGRITY_FAILURE',
        status: EXIT.INTEGRITY_FAILURE,
      });
      expect(statSync(victim.dir).ino).toBe(ino);
      expect(readFileSync(join(victim.dir, 'vault.json')).equals(header)).toBe(true);
    }
    // The planted agent never became a user of the vault.
    expect(victim.json<{ name: string }[]>(['agent', 'list']).map((a) => a.name)).not.toContain('planted');
  }, 120_000);

  it('a restore into a new directory refuses forgeries checked against the owner’s --key', () => {
    for (const [name, file] of Object.entries(forged)) {
      const r = run([
        'backup',
        'restore',
        file,
        '--target',
        join(root, `new-${name}`),
        '--age-identity',
        idFile,
        '--key',
        victimKey,
        '--accept-unsigned',
      ]);
      expect({ name, code: r.code, status: r.status }, r.stderr).toEqual({
        name,
        code: 'INTEGRITY_FAILURE',
        status: EXIT.INTEGRITY_FAILURE,
      });
    }
  }, 120_000);

  it('a genuine backup verifies and restores: over the vault, and into a new directory with --key', () => {
    expect(run(['backup', 'verify', genuine, '--age-identity', idFile])).toMatchObject({ code: 'OK', status: 0 });
    // Into an empty directory without --key: refused, and told how to get the key.
    const noKey = run(['backup', 'restore', genuine, '--target', join(root, 'fresh-a'), '--age-identity', idFile]);
    expect(noKey).toMatchObject({ code: 'INVALID_INPUT', status: EXIT.INVALID_INPUT });
    expect(noKey.message).toMatch(/--key.*memory-vault audit key/);
    // --key as a file holding the `audit key` output.
    const keyFile = join(root, 'audit-key.txt');
    writeFileSync(keyFile, `${victimKey}\n`);
    expect(
      run(['backup', 'restore', genuine, '--target', join(root, 'fresh-b'), '--age-identity', idFile, '--key', keyFile]),
    ).toMatchObject({ code: 'OK', status: 0 });
    // A wrong --key (another vault's) refuses the genuine backup.
    expect(
      run(['backup', 'restore', genuine, '--target', join(root, 'fresh-c'), '--age-identity', idFile, '--key', freshKey]),
    ).toMatchObject({ code: 'INTEGRITY_FAILURE', status: EXIT.INTEGRITY_FAILURE });
    const replaced = run(['backup', 'restore', genuine, '--target', victim.dir, '--replace', '--age-identity', idFile]);
    expect(replaced).toMatchObject({ code: 'OK', status: 0 });
    expect(victim.json<{ title?: string }[]>(['list']).map((m) => m.title)).toContain('owner note');
  }, 120_000);
});
