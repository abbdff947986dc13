// The enrolled hardware keys, persisted in the encrypted database (table `hardware_keys`,
// schema v3). Rows are untrusted when read back: the JSON record is parsed with zod and must
// name the same credential as its row. Nothing secret is stored: a credential id, a public
// key, an AAGUID, a counter, a name. Store layer: owner changes (insert, rename, revoke) are
// called only from inside `engine.runAudited` work (hardware-key-admin.ts), so each row change
// commits with its `profile.change` leaf.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import type { Fido2KeyRecord } from '../fido2/key-lifecycle.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

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
  })
  .strict();

const rowSchema = z.object({
  credential_id: z.string(),
  kind: z.literal(FIDO2_KEY_KIND),
  record: z.string(),
  created_at: z.number().int(),
  revoked_at: z.number().int().nullable(),
});

export interface StoredHardwareKey {
  readonly record: Fido2KeyRecord;
  /** ms since the epoch */
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

function parseRow(raw: unknown): StoredHardwareKey {
  const row = rowSchema.safeParse(raw);
  if (!row.success) throw new VaultError('VAULT_CORRUPT', 'A stored hardware-key row is malformed.');
  let json: unknown;
  try {
    json = JSON.parse(row.data.record);
  } catch {
    throw new VaultError('VAULT_CORRUPT', 'A stored hardware-key record is not valid JSON.');
  }
  const record = fido2KeyRecordSchema.safeParse(json);
  if (!record.success || record.data.credentialId !== row.data.credential_id) {
    throw new VaultError('VAULT_CORRUPT', 'A stored hardware-key record does not match the expected format.');
  }
  return { record: record.data, createdAt: row.data.created_at, revokedAt: row.data.revoked_at };
}

function serialize(record: Fido2KeyRecord): string {
  return JSON.stringify(fido2KeyRecordSchema.parse(record));
}

export class HardwareKeyStore {
  constructor(private readonly db: SqliteDatabase) {}

  insert(record: Fido2KeyRecord, now: number): void {
    try {
      this.db
        .prepare('INSERT INTO hardware_keys (credential_id, kind, record, created_at, revoked_at) VALUES (?, ?, ?, ?, NULL)')
        .run(record.credentialId, FIDO2_KEY_KIND, serialize(record), now);
    } catch (e) {
      const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
      if (code.startsWith('SQLITE_CONSTRAINT')) throw new VaultError('INVALID_INPUT', 'This credential is already registered.');
      throw e;
    }
  }

  get(credentialId: string): StoredHardwareKey | undefined {
    const raw: unknown = this.db.prepare('SELECT credential_id, kind, record, created_at, revoked_at FROM hardware_keys WHERE credential_id = ?').get(credentialId);
    return raw === undefined ? undefined : parseRow(raw);
  }

  /** Oldest first. */
  list(options: { includeRevoked?: boolean } = {}): StoredHardwareKey[] {
    const sql = `SELECT credential_id, kind, record, created_at, revoked_at FROM hardware_keys${options.includeRevoked ? '' : ' WHERE revoked_at IS NULL'} ORDER BY created_at, credential_id`;
    return this.db.prepare(sql).all().map(parseRow);
  }

  /** Non-revoked records, as Fido2HardwareKey wants them. */
  active(): Fido2KeyRecord[] {
    return this.list().map((k) => k.record);
  }

  /**
   * Find by full credential id or by a unique prefix of at least 6 characters (what `key list`
   * shows). Revoked keys are found too.
   */
  resolve(idOrPrefix: string): StoredHardwareKey {
    const id = idOrPrefix.trim();
    if (!/^[A-Za-z0-9_-]{6,1400}$/.test(id)) throw new VaultError('INVALID_INPUT', 'A key id is the credential id shown by `key list` (at least 6 characters).');
    const exact = this.get(id);
    if (exact) return exact;
    const matches = this.list({ includeRevoked: true }).filter((k) => k.record.credentialId.startsWith(id));
    if (matches.length > 1) throw new VaultError('INVALID_INPUT', 'That key id prefix is ambiguous; give more characters.');
    const match = matches[0];
    if (!match) throw new VaultError('NOT_FOUND', 'No registered security key has that id.');
    return match;
  }

  /** Persist a changed record (new sign counter, clone flag, name). */
  update(record: Fido2KeyRecord): void {
    const r = this.db.prepare('UPDATE hardware_keys SET record = ? WHERE credential_id = ?').run(serialize(record), record.credentialId);
    if (r.changes !== 1) throw new VaultError('NOT_FOUND', 'No registered security key has that id.');
  }

  setRevoked(credentialId: string, at: number | null): void {
    this.db.prepare('UPDATE hardware_keys SET revoked_at = ? WHERE credential_id = ?').run(at, credentialId);
  }

  /** Live (not tombstoned) level-5 memories whose key is wrapped to this credential. */
  boundMemoryCount(credentialId: string): number {
    const raw: unknown = this.db.prepare('SELECT count(*) AS n FROM memories WHERE hw_credential = ? AND tombstoned_at IS NULL').get(credentialId);
    return z.object({ n: z.number().int() }).parse(raw).n;
  }
}
