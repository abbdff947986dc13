// The narrow ports an open session hands to node-side features (dead-man, escrow, rotation,
// backup): each feature takes the few it needs instead of the whole VaultSession, so no feature
// can reach the raw database or mint an owner proof by accident.
import type { OwnerProof, VaultEngine } from '../../core/engine/vault-engine.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import type { Clock } from '../../core/ports/clock.port.js';
import type { HardwareKeyPort } from '../../core/ports/hardware-key.port.js';
import type { Credentials } from './credentials.js';
import type { ProfileRecord, VaultHeader } from './vault-header.js';
import type { VaultPaths } from './vault-paths.js';

/** vault.json: the header and its first (current) profile, rewritten atomically. */
export interface HeaderStore {
  readonly paths: VaultPaths;
  readonly header: VaultHeader;
  readonly profile: ProfileRecord;
  /** Rewrite vault.json (atomically) with the profile `change` returns; used by escrow and recovery. */
  update(change: (header: VaultHeader, profile: ProfileRecord) => ProfileRecord): void;
}

/** The owner's credentials presented again; the only source of an `OwnerProof`. */
export interface OwnerVerifierPort {
  /**
   * The wrapping key and profile key (key rotation, escrow, the dead-man recovery key). The
   * caller zeroes both. A wrong credential counts towards the "repeated bad credentials" rule.
   */
  openKeys(credentials: Credentials): Promise<{ wrappingKey: Buffer; profileKey: Buffer }>;
  /** Re-check the credentials (lifting lockdown, revealing level ≥ 3) and prove it. */
  verify(credentials: Credentials, channel?: OwnerChannel): Promise<OwnerProof>;
}

/** The one audited write path: a state change commits with its leaf, or not at all. */
export type AuditedWriter = Pick<VaultEngine, 'runAudited' | 'recordEvent'>;

/** vault_state, read-only (writes go through `AuditedWriter.runAudited`). */
export interface StateReader {
  getState(key: string): string | undefined;
}

/** Everything a feature may take from an open session. */
export interface SessionPorts {
  readonly headers: HeaderStore;
  readonly owner: OwnerVerifierPort;
  readonly audited: AuditedWriter;
  readonly clock: Clock;
  readonly state: StateReader;
  /** The level-5 port (the bound FIDO2 keys, or one given as a gate), if any — read at use, it can be bound later. */
  readonly hardwareKey: () => HardwareKeyPort | null;
}
