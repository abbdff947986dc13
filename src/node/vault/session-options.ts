// What a caller may choose when a session is opened: engine options (gates, config, clock) and
// the hardware wiring. The vault's own identity and keys are never the caller's to give.
import type { VaultEngineOptions } from '../../core/engine/vault-engine.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import type { HardwareKeyBindingOptions } from '../hardware/vault-hardware-key.js';
import type { Credentials, TpmAccess } from './credentials.js';

export type SessionOptions = Omit<VaultEngineOptions, 'repo' | 'vaultId' | 'profileId' | 'profileKey' | 'platformTpm' | 'ownerProofs'> &
  HardwareSessionOptions;

export interface HardwareSessionOptions {
  /** How to reach the TPM (default: the tools' TCTI); at init with TPM credentials, the PCRs. */
  readonly tpm?: TpmAccess;
  /** Bind the vault's enrolled FIDO2 keys as the level-5 gate, over this HID transport. */
  readonly hardwareKey?: HardwareKeyBindingOptions;
  /** Plain-words notices, e.g. a level-4 memory stored without a TPM. */
  readonly onWarning?: (message: string) => void;
}

export interface InitOptions extends SessionOptions {
  readonly dir: string;
  readonly credentials: Credentials;
  /** Argon2id cost for passphrase profiles (default 256 MiB, 3 passes). */
  readonly kdfCost?: { opsLimit: number; memLimitBytes: number };
  readonly channel?: OwnerChannel;
  /**
   * false: a non-exportable profile (reference §4.2) — no backup or bundle of the vault's keys
   * ever leaves this machine; `backup create` refuses it. Fixed at creation. Default true.
   */
  readonly exportable?: boolean;
}

export interface UnlockOptions extends SessionOptions {
  readonly dir: string;
  readonly credentials: Credentials;
  readonly channel?: OwnerChannel;
}

export interface RecoveryUnlockOptions extends SessionOptions {
  readonly dir: string;
  /** The header recovery slot (an escrow id, or the slot named in a dead-man package). */
  readonly slotId: string;
  readonly recoveryKey: Uint8Array;
  /** The owner's new credentials: the profile key is rewrapped under them. */
  readonly newCredentials: Credentials;
  readonly kdfCost?: { opsLimit: number; memLimitBytes: number };
  readonly channel?: OwnerChannel;
}
