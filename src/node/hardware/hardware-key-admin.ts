// Owner operations on the enrolled FIDO2 keys of an unlocked vault: register (enrol over the
// HID interface, verified by @simplewebauthn/server inside the enrol path), list, rename,
// revoke, re-register. Every change writes a `profile.change` audit event (no secrets: ids,
// names, AAGUIDs, flags) in the same transaction as the change (engine.runAudited): a change
// whose audit event cannot be written never commits.
import { VaultError, isVaultError } from '../../core/errors.js';
import type { AuditEventInput } from '../../core/events/audit-event.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import { enrollHardwareKey } from '../fido2/fido2-enroll.js';
import { openSession } from '../fido2/fido2-session.js';
import type { Fido2StatusListener } from '../fido2/fido2-status.js';
import type { CtapHidChannelOptions } from '../fido2/ctaphid-channel.js';
import type { HidTransport } from '../fido2/hid-device.port.js';
import type { SessionPorts } from '../vault/session-ports.js';
import type { HardwareKeyStore } from './hardware-key-store.js';
import { FIDO2_KEY_KIND, type StoredHardwareKey } from './hardware-key-store.js';

/** What `key list` shows; never anything secret. */
export interface HardwareKeyView {
  readonly id: string;
  readonly shortId: string;
  readonly kind: typeof FIDO2_KEY_KIND;
  readonly name: string;
  readonly aaguid: string;
  readonly signCount: number;
  readonly userVerification: boolean;
  readonly cloneSuspected: boolean;
  readonly createdAt: string;
  /** The last verified assertion (a level-5 recall, an arm or disarm); null = never used. */
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  /** Live level-5 memories wrapped to this key (they need it to be recalled). */
  readonly boundMemories: number;
}

export const KEY_SHORT_ID_LENGTH = 12;

/** What key administration needs from an open session: the key records and the audited writer. */
export interface HardwareKeyAdminHost {
  readonly hardwareKeys: HardwareKeyStore;
  readonly ports: Pick<SessionPorts, 'audited'>;
}

function view(session: HardwareKeyAdminHost, k: StoredHardwareKey): HardwareKeyView {
  const r = k.record;
  return {
    id: r.credentialId,
    shortId: r.credentialId.slice(0, KEY_SHORT_ID_LENGTH),
    kind: FIDO2_KEY_KIND,
    name: r.name,
    aaguid: r.aaguid,
    signCount: r.signCount,
    userVerification: r.userVerification,
    cloneSuspected: r.cloneSuspected === true,
    createdAt: new Date(k.createdAt).toISOString(),
    lastUsedAt: r.lastUsedAt ?? null,
    revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
    boundMemories: session.hardwareKeys.boundMemoryCount(r.credentialId),
  };
}

/** Which owner surface made a change (the audit leaf's actor id). */
export interface AdminActor {
  readonly surface?: OwnerChannel;
}

/** Run `change` (a hardware-key store write) and its `profile.change` leaf in one transaction. */
function auditedChange(
  session: HardwareKeyAdminHost,
  change: () => void,
  details: NonNullable<AuditEventInput['details']>,
  actor: AdminActor,
): Promise<void> {
  return session.ports.audited.runAudited(
    (tx) => {
      change();
      tx.noteWrite();
    },
    () => ({ kind: 'profile.change', actor: { type: 'owner', id: actor.surface ?? 'cli' }, outcome: 'ok', details }),
  );
}

function validName(name: string): string {
  const trimmed = name.trim();
  const printable = [...trimmed].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f);
  if (trimmed.length === 0 || trimmed.length > 64 || !printable) {
    throw new VaultError('INVALID_INPUT', 'A key name must have 1 to 64 printable characters.');
  }
  return trimmed;
}

export interface RegisterOptions extends AdminActor {
  readonly transport: HidTransport;
  readonly name: string;
  /** Asked only when the key has a PIN set; the credential is then bound to the PIN (UV). */
  readonly pin?: () => Promise<string | undefined>;
  /** Which plugged-in key to use when several are (a HidDeviceDescriptor path). */
  readonly devicePath?: string;
  readonly onStatus?: Fido2StatusListener;
  readonly signal?: AbortSignal;
  readonly channel?: Omit<CtapHidChannelOptions, 'signal'>;
}

export async function registerHardwareKey(session: HardwareKeyAdminHost, options: RegisterOptions): Promise<HardwareKeyView> {
  const name = validName(options.name);
  const store = session.hardwareKeys;
  let devices;
  try {
    devices = await options.transport.list();
  } catch (e) {
    throw new VaultError('FIDO2_ERROR', 'USB HID access is unavailable on this system.', {
      reason: 'hid-unavailable',
      cause: e instanceof Error ? e.message : 'unknown',
    });
  }
  if (options.devicePath !== undefined) devices = devices.filter((d) => d.path === options.devicePath);
  if (devices.length === 0) throw new VaultError('TOKEN_REQUIRED', 'Insert the security key to register.');
  const device = devices[0];
  if (devices.length > 1 || device === undefined) {
    throw new VaultError('INVALID_INPUT', 'Several security keys are plugged in: leave only the one to register.', {
      devices: devices.length,
    });
  }
  const fido = await openSession(await options.transport.open(device.path), {
    ...options.channel,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let record;
  try {
    let pin: string | undefined;
    if (fido.info.options['clientPin'] === true) {
      pin = await options.pin?.();
      if (pin === undefined)
        throw new VaultError('FIDO2_ERROR', 'This security key has a PIN; it is needed to register it.', { reason: 'pin-required' });
    }
    record = await enrollHardwareKey(fido, {
      name,
      ...(pin !== undefined ? { pin } : {}),
      // Only live keys: a revoked key may be registered again (it gets a new credential).
      excludeCredentialIds: store.active().map((r) => r.credentialId),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onStatus ? { onStatus: options.onStatus } : {}),
    });
  } catch (e) {
    if (isVaultError(e) && e.details['ctapError'] === 'CTAP2_ERR_CREDENTIAL_EXCLUDED') {
      throw new VaultError('INVALID_INPUT', 'This security key is already registered with this vault.', { reason: 'already-registered' });
    }
    throw e;
  } finally {
    await fido.close().catch(() => undefined);
  }
  const enrolled = record;
  await auditedChange(
    session,
    () => store.insert(enrolled, Date.now()),
    {
      action: 'hardware-key.register',
      keyKind: FIDO2_KEY_KIND,
      credentialId: record.credentialId,
      name: record.name,
      aaguid: record.aaguid,
      userVerification: record.userVerification,
    },
    options,
  );
  const stored = store.get(record.credentialId);
  if (!stored) throw new VaultError('INTERNAL', 'The registered key was not stored.');
  return view(session, stored);
}

export function listHardwareKeys(session: HardwareKeyAdminHost, options: { includeRevoked?: boolean } = {}): HardwareKeyView[] {
  return session.hardwareKeys.list(options).map((k) => view(session, k));
}

export async function renameHardwareKey(
  session: HardwareKeyAdminHost,
  id: string,
  newName: string,
  actor: AdminActor = {},
): Promise<HardwareKeyView> {
  const name = validName(newName);
  const store = session.hardwareKeys;
  const key = store.resolve(id);
  if (key.revokedAt !== null) throw new VaultError('INVALID_INPUT', 'This security key was revoked; it cannot be renamed.');
  const oldName = key.record.name;
  await auditedChange(
    session,
    () => store.update({ ...key.record, name }),
    {
      action: 'hardware-key.rename',
      keyKind: FIDO2_KEY_KIND,
      credentialId: key.record.credentialId,
      from: oldName,
      to: name,
    },
    actor,
  );
  return view(session, store.resolve(key.record.credentialId));
}

/**
 * Revoke a key: it can no longer store or recall level-5 memories. Memories wrapped to it become
 * unrecallable, so that needs `force` when there are any.
 */
export async function revokeHardwareKey(
  session: HardwareKeyAdminHost,
  id: string,
  options: { force?: boolean } & AdminActor = {},
): Promise<HardwareKeyView> {
  const store = session.hardwareKeys;
  const key = store.resolve(id);
  if (key.revokedAt !== null) throw new VaultError('INVALID_INPUT', 'This security key is already revoked.');
  const bound = store.boundMemoryCount(key.record.credentialId);
  if (bound > 0 && options.force !== true) {
    throw new VaultError(
      'INVALID_INPUT',
      `${bound} level-5 memor${bound === 1 ? 'y is' : 'ies are'} bound to "${key.record.name}" and would become unrecallable; revoke with --force to accept that.`,
      { boundMemories: bound },
    );
  }
  await auditedChange(
    session,
    () => store.setRevoked(key.record.credentialId, Date.now()),
    {
      action: 'hardware-key.revoke',
      keyKind: FIDO2_KEY_KIND,
      credentialId: key.record.credentialId,
      name: key.record.name,
      boundMemories: bound,
      cloneSuspected: key.record.cloneSuspected === true,
    },
    options,
  );
  return view(session, store.resolve(key.record.credentialId));
}
