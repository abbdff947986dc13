// The level-5 gate of an unlocked vault: Fido2HardwareKey over the stored, non-revoked records,
// with the vault's policy on top. Sign counters are persisted after every assertion; a counter
// regression (possible clone) is persisted, audited, and refused — fail closed: the secret the
// suspect key produced is wiped and never used, now or later, until the key is re-registered.
import { VaultError } from '../../core/errors.js';
import type { AuditEventInput } from '../../core/events/audit-event.js';
import type {
  HardwareKeyCredential,
  HardwareKeyPort,
  HardwareSecretRequest,
  HardwareSecretResult,
} from '../../core/ports/hardware-key.port.js';
import type { CtapHidChannelOptions } from '../fido2/ctaphid-channel.js';
import { Fido2HardwareKey } from '../fido2/fido2-hardware-key.js';
import type { Fido2StatusListener, PinProvider } from '../fido2/fido2-status.js';
import type { HidTransport } from '../fido2/hid-device.port.js';
import type { Fido2KeyRecord, SignCountUpdate } from '../fido2/key-lifecycle.js';
import type { HardwareKeyStore } from './hardware-key-store.js';

/** What a shell passes when unlocking to make level-5 memories usable. */
export interface HardwareKeyBindingOptions {
  /** NodeHidTransport in production; the soft authenticator's transport in tests. */
  readonly transport: HidTransport;
  /** Asked for keys enrolled with their PIN. */
  readonly pin?: PinProvider;
  /** "insert / touch your key" status for the UI or the terminal. */
  readonly onStatus?: Fido2StatusListener;
  readonly insertTimeoutMs?: number;
  readonly devicePollMs?: number;
  readonly channel?: Omit<CtapHidChannelOptions, 'signal'>;
}

export type AuditSink = (event: AuditEventInput) => Promise<unknown>;

const usable = (r: Fido2KeyRecord): boolean => r.cloneSuspected !== true;

export function cloneSuspectedError(name: string): VaultError {
  return new VaultError(
    'TOKEN_MISMATCH',
    `Security key "${name}" reported a signature counter lower than recorded, so it may have been cloned; it is refused until you revoke and re-register it.`,
    { reason: 'clone-suspected' },
  );
}

export class VaultHardwareKey implements HardwareKeyPort {
  private readonly inner: Fido2HardwareKey;

  constructor(
    private readonly store: HardwareKeyStore,
    private readonly audit: AuditSink,
    options: HardwareKeyBindingOptions,
  ) {
    this.inner = new Fido2HardwareKey({
      ...options,
      records: () => this.store.active().filter(usable),
      onRecordUpdate: (u) => this.persist(u),
    });
  }

  enrolledCredentials(): readonly HardwareKeyCredential[] {
    return this.store
      .active()
      .filter(usable)
      .map((r) => ({ credentialId: r.credentialId }));
  }

  async deriveSecret(request: HardwareSecretRequest): Promise<HardwareSecretResult> {
    const stored = request.allowCredentials.flatMap((c) => this.store.get(c.credentialId) ?? []);
    const live = stored.filter((k) => k.revokedAt === null);
    if (live.length === 0) {
      if (stored.length > 0)
        throw new VaultError('TOKEN_REQUIRED', 'The security key this memory is bound to was revoked.', { reason: 'revoked' });
      throw new VaultError('TOKEN_REQUIRED', 'The security key this memory is bound to is not registered with this vault.', {
        reason: 'not-registered',
      });
    }
    const suspect = live.find((k) => !usable(k.record));
    if (live.every((k) => !usable(k.record)) && suspect) throw cloneSuspectedError(suspect.record.name);

    const result = await this.inner.deriveSecret(request);
    // The assertion verified, and onRecordUpdate has persisted its counter (or the clone flag).
    const after = this.store.get(result.credentialId);
    if (after === undefined || after.revokedAt !== null || !usable(after.record)) {
      result.secret.fill(0);
      const name = after?.record.name ?? 'unknown';
      await this.audit({
        kind: 'profile.change',
        actor: { type: 'system', id: 'hardware-key' },
        outcome: 'refused',
        code: 'TOKEN_MISMATCH',
        reason: 'Sign-counter regression: the security key may be cloned.',
        details: { action: 'hardware-key.clone-suspected', keyKind: 'fido2', credentialId: result.credentialId, name },
      });
      throw cloneSuspectedError(name);
    }
    return result;
  }

  private persist(update: SignCountUpdate): void {
    const current = this.store.get(update.record.credentialId);
    if (!current) return;
    // Never lower a stored counter (two concurrent assertions may report out of order).
    const signCount = Math.max(current.record.signCount, update.record.signCount);
    const cloneSuspected = update.cloneSuspected || current.record.cloneSuspected === true;
    // A regression is not a use the owner should see as "last used": only verified assertions count.
    const lastUsedAt = update.cloneSuspected ? current.record.lastUsedAt : new Date().toISOString();
    this.store.update({
      ...current.record,
      signCount,
      ...(cloneSuspected ? { cloneSuspected: true } : {}),
      ...(lastUsedAt !== undefined ? { lastUsedAt } : {}),
    });
  }
}
