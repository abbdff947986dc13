// The session's hardware: the enrolled FIDO2 keys (table hardware_keys), the level-5 port the
// engine asks for a touch, and whether this profile is sealed to a TPM. Chosen once, when the
// session is built (STYLE principle 5); the composition root decides which transport is used.
import type { PlatformTpm, VaultEngine } from '../../core/engine/vault-engine.js';
import type { HardwareKeyPort } from '../../core/ports/hardware-key.port.js';
import { HardwareKeyStore } from '../hardware/hardware-key-store.js';
import { tpmPresence } from '../hardware/platform-tpm.js';
import { VaultHardwareKey, type HardwareKeyBindingOptions } from '../hardware/vault-hardware-key.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';
import type { TpmAccess } from './credentials.js';
import type { ProfileRecord } from './vault-header.js';

export class SessionHardware {
  private keyStore: HardwareKeyStore | undefined;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly engine: Pick<VaultEngine, 'recordEvent' | 'setGates'>,
    private current: HardwareKeyPort | null,
  ) {}

  /** The enrolled hardware keys (table hardware_keys). */
  get keys(): HardwareKeyStore {
    this.keyStore ??= new HardwareKeyStore(this.db);
    return this.keyStore;
  }

  /** The level-5 token port (bound FIDO2 keys, or one given as a gate), if any. */
  get port(): HardwareKeyPort | null {
    return this.current;
  }

  /** Record the port a gate set (the engine already uses it). */
  usePort(port: HardwareKeyPort | null): void {
    this.current = port;
  }

  /** Register the enrolled, non-revoked FIDO2 keys as the engine's level-5 gate. */
  bind(options: HardwareKeyBindingOptions): VaultHardwareKey {
    const hardwareKey = new VaultHardwareKey(this.keys, (event) => this.engine.recordEvent(event), options);
    this.engine.setGates({ hardwareKey });
    this.current = hardwareKey;
    return hardwareKey;
  }
}

/** DESIGN §2: level 4+ keys are sealed to the TPM where one exists; the engine warns where none does. */
export function platformTpmFor(
  profile: ProfileRecord,
  tpm: TpmAccess | undefined,
  warn: ((message: string) => void) | undefined,
): PlatformTpm {
  return { bound: profile.source.kind === 'tpm2', present: tpmPresence(tpm?.tcti), ...(warn ? { warn } : {}) };
}
