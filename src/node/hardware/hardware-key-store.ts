// The enrolled hardware keys: lookups by id or unique prefix over the `hardware_keys` table
// (SQL and row parsing in src/node/store/hardware-keys.table.ts). Owner changes (insert,
// rename, revoke) are called only from inside `engine.runAudited` work (hardware-key-admin.ts),
// so each row change commits with its `profile.change` leaf.
import { VaultError } from '../../core/errors.js';
import type { Fido2KeyRecord } from '../fido2/key-lifecycle.js';
import { hardwareKeysTable, type HardwareKeysTable, type StoredHardwareKey } from '../store/hardware-keys.table.js';
import { tableFrom, type TableSource } from '../store/table-source.js';

export { FIDO2_KEY_KIND, fido2KeyRecordSchema, type StoredHardwareKey } from '../store/hardware-keys.table.js';

export class HardwareKeyStore {
  private readonly table: HardwareKeysTable;

  constructor(source: TableSource<HardwareKeysTable>) {
    this.table = tableFrom(source, hardwareKeysTable);
  }

  insert(record: Fido2KeyRecord, now: number): void {
    this.table.insert(record, now);
  }

  get(credentialId: string): StoredHardwareKey | undefined {
    return this.table.get(credentialId);
  }

  /** Oldest first. */
  list(options: { includeRevoked?: boolean } = {}): StoredHardwareKey[] {
    return this.table.list(options.includeRevoked === true);
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
    if (!/^[A-Za-z0-9_-]{6,1400}$/.test(id))
      throw new VaultError('INVALID_INPUT', 'A key id is the credential id shown by `key list` (at least 6 characters).');
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
    if (!this.table.update(record)) throw new VaultError('NOT_FOUND', 'No registered security key has that id.');
  }

  setRevoked(credentialId: string, at: number | null): void {
    this.table.setRevoked(credentialId, at);
  }

  /** Live (not tombstoned) level-5 memories whose key is wrapped to this credential. */
  boundMemoryCount(credentialId: string): number {
    return this.table.boundMemoryCount(credentialId);
  }
}
