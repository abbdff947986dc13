// The `hardware_keys` table (schema v3): enrolled FIDO2 keys. Rows are untrusted when read back:
// the JSON record is parsed with zod and must name the same credential as its row. Nothing
// secret is stored: a credential id, a public key, an AAGUID, a counter, a name. Owner changes
// (insert, rename, revoke) are called only from inside `engine.runAudited` work
// (hardware-key-admin.ts), so each row change commits with its `profile.change` leaf.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import type { Fido2KeyRecord } from '../fido2/key-lifecycle.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { parseRow } from './row-parse.js';

export const FIDO2_KEY_KIND = 'fido2';

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const fido2KeyRecordSchema = z
  .object({
    credentialId: b64url.min(16).max(1400),
    publicKey: b64url.min(16).max(2048),
    aaguid: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    signCount: z.number().int().min(0).max(0xffff_ffff),
    name: z.string().min(1).max(64),
    userVerification: z.boolean(),
    createdAt: z.string().min(1).max(64),
    cloneSuspected: z.boolean().optional(),
    /** ISO time of the last verified assertion (absent in records written before it was kept). */
    lastUsedAt: z.string().min(1).max(64).optional(),
  })
  .strict();

const rowSchema = z.object({
  credential_id: z.string(),
  kind: z.literal(FIDO2_KEY_KIND),
  record: z.string(),
  created_at: z.number().int(),
  revoked_at: z.number().int().nullable(),
});
const countSchema = z.object({ n: z.number().int() });

export interface StoredHardwareKey {
  readonly record: Fido2KeyRecord;
  /** ms since the epoch */
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface HardwareKeysTable {
  /** INVALID_INPUT when the credential is already registered. */
  insert(record: Fido2KeyRecord, now: number): void;
  get(credentialId: string): StoredHardwareKey | undefined;
  /** Oldest first. */
  list(includeRevoked: boolean): StoredHardwareKey[];
  /** false when no row has that credential id. */
  update(record: Fido2KeyRecord): boolean;
  setRevoked(credentialId: string, at: number | null): void;
  /** Live (not tombstoned) level-5 memories whose key is wrapped to this credential. */
  boundMemoryCount(credentialId: string): number;
}

function toStored(raw: unknown): StoredHardwareKey {
  const row = parseRow(rowSchema, raw, 'A stored hardware-key row');
  let json: unknown;
  try {
    json = JSON.parse(row.record);
  } catch {
    throw new VaultError('VAULT_CORRUPT', 'A stored hardware-key record is not valid JSON.');
  }
  const record = fido2KeyRecordSchema.safeParse(json);
  if (!record.success || record.data.credentialId !== row.credential_id) {
    throw new VaultError('VAULT_CORRUPT', 'A stored hardware-key record does not match the expected format.');
  }
  return { record: record.data, createdAt: row.created_at, revokedAt: row.revoked_at };
}

const serialize = (record: Fido2KeyRecord): string => JSON.stringify(fido2KeyRecordSchema.parse(record));

const COLUMNS = 'credential_id, kind, record, created_at, revoked_at';

export function hardwareKeysTable(db: SqliteDatabase): HardwareKeysTable {
  const insert = db.prepare('INSERT INTO hardware_keys (credential_id, kind, record, created_at, revoked_at) VALUES (?, ?, ?, ?, NULL)');
  const byId = db.prepare(`SELECT ${COLUMNS} FROM hardware_keys WHERE credential_id = ?`);
  const active = db.prepare(`SELECT ${COLUMNS} FROM hardware_keys WHERE revoked_at IS NULL ORDER BY created_at, credential_id`);
  const all = db.prepare(`SELECT ${COLUMNS} FROM hardware_keys ORDER BY created_at, credential_id`);
  const update = db.prepare('UPDATE hardware_keys SET record = ? WHERE credential_id = ?');
  const revoke = db.prepare('UPDATE hardware_keys SET revoked_at = ? WHERE credential_id = ?');
  const bound = db.prepare('SELECT count(*) AS n FROM memories WHERE hw_credential = ? AND tombstoned_at IS NULL');
  return {
    insert: (record, now) => {
      try {
        insert.run(record.credentialId, FIDO2_KEY_KIND, serialize(record), now);
      } catch (e) {
        const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
        if (code.startsWith('SQLITE_CONSTRAINT')) throw new VaultError('INVALID_INPUT', 'This credential is already registered.');
        throw e;
      }
    },
    get: (credentialId) => {
      const raw: unknown = byId.get(credentialId);
      return raw === undefined ? undefined : toStored(raw);
    },
    list: (includeRevoked) => (includeRevoked ? all : active).all().map(toStored),
    update: (record) => update.run(serialize(record), record.credentialId).changes === 1,
    setRevoked: (credentialId, at) => {
      revoke.run(at, credentialId);
    },
    boundMemoryCount: (credentialId) => parseRow(countSchema, bound.get(credentialId), 'A count').n,
  };
}
