// The owner's FIDO2 security keys from the desktop window, over the same admin operations as
// `memory-vault key …` (hardware-key-admin.ts: each change commits with its profile.change leaf)
// and the same transport the session's level-5 gate uses (the backend's hardware-key binding).
// Invariants: one registration waits for a touch at a time; cancelling it aborts the CTAPHID
// exchange (the channel sends CANCEL to the key); the PIN is handed to the key and kept nowhere.
import { VaultError } from '../../core/errors.js';
import {
  listHardwareKeys,
  registerHardwareKey,
  renameHardwareKey,
  revokeHardwareKey,
  type HardwareKeyView,
} from '../../node/hardware/hardware-key-admin.js';
import { readDeadmanState, type DeadmanHost } from '../../node/deadman/deadman.service.js';
import type { SecurityKeyDto } from '../../shared/security-keys.contract.js';
import type { DesktopBackend } from './desktop-backend.service.js';

const SURFACE = { surface: 'desktop' } as const;

/** `armingKey`: the credential that armed a live dead-man switch (it alone can disarm it). */
function toDto(k: HardwareKeyView, armingKey: string | null): SecurityKeyDto {
  const { kind: _kind, ...rest } = k;
  return { ...rest, armsDeadman: k.id === armingKey };
}

function armingKeyOf(session: DeadmanHost): string | null {
  const state = readDeadmanState(session);
  return state && !state.released ? state.token.credentialId : null;
}

export class DesktopSecurityKeys {
  private registering: AbortController | null = null;

  constructor(private readonly backend: Pick<DesktopBackend, 'currentSession' | 'hardwareKeyBinding'>) {}

  list(includeRevoked: boolean): SecurityKeyDto[] {
    const session = this.backend.currentSession();
    const arming = armingKeyOf(session);
    return listHardwareKeys(session, { includeRevoked }).map((k) => toDto(k, arming));
  }

  async register(name: string, pin: string | undefined): Promise<SecurityKeyDto> {
    const session = this.backend.currentSession();
    if (this.registering) throw new VaultError('INVALID_INPUT', 'A registration is already waiting for a touch of your key.');
    const binding = this.backend.hardwareKeyBinding();
    const abort = new AbortController();
    this.registering = abort;
    try {
      const added = await registerHardwareKey(session, {
        ...SURFACE,
        transport: binding.transport,
        name,
        pin: () => Promise.resolve(pin),
        signal: abort.signal,
        ...(binding.onStatus ? { onStatus: binding.onStatus } : {}),
        ...(binding.channel ? { channel: binding.channel } : {}),
      });
      return toDto(added, armingKeyOf(session));
    } finally {
      if (this.registering === abort) this.registering = null;
    }
  }

  /** true when a registration was waiting and is now being cancelled. */
  cancelRegister(): boolean {
    const pending = this.registering;
    if (!pending) return false;
    pending.abort();
    return true;
  }

  async rename(id: string, name: string): Promise<SecurityKeyDto> {
    const session = this.backend.currentSession();
    return toDto(await renameHardwareKey(session, id, name, SURFACE), armingKeyOf(session));
  }

  async revoke(id: string, force: boolean): Promise<SecurityKeyDto> {
    const session = this.backend.currentSession();
    return toDto(await revokeHardwareKey(session, id, { ...SURFACE, force }), armingKeyOf(session));
  }
}
