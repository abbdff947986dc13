// Security keys and the dead-man switch over IPC against a real vault and the software CTAP2
// authenticator behind the HID interface: what the window's calls answer where the e2e run does
// not go — a key with a PIN, revoking a key memories are bound to, a locked vault, arming
// without a key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as age from 'age-encryption';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allHandlers } from '../../src/main/ipc/all.handlers.js';
import { APP_ORIGIN, createSenderPolicy } from '../../src/main/ipc/sender-policy.js';
import { DesktopBackend } from '../../src/main/services/desktop-backend.service.js';
import { ipcResultSchema } from '../../src/shared/contract.js';
import { contracts } from '../../src/shared/contracts.js';
import { armDeadman, disarmDeadman } from '../../src/node/deadman/deadman.service.js';
import { registerHardwareKey } from '../../src/node/hardware/hardware-key-admin.js';
import { securityKeySchema } from '../../src/shared/security-keys.contract.js';
import { createSoftKey, transportFor, type SoftKey } from '../support/fido2/soft-key.js';
import { CHEAP_KDF, TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { appSender } from './ipc-fixture.js';

let root: string;
let backend: DesktopBackend;
let call: (channel: string, args: unknown) => Promise<unknown>;
let key: SoftKey;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'mv-ipc-keys-'));
  key = createSoftKey({ pin: '4821' });
  backend = new DesktopBackend({
    vaultDir: join(root, 'vault'),
    kdfCost: CHEAP_KDF,
    chooseExportPath: (name) => Promise.resolve(join(root, name)),
    hardwareKey: { transport: transportFor(key), insertTimeoutMs: 0 },
  });
  const handlers = new Map(allHandlers(createSenderPolicy({ origins: [APP_ORIGIN], bundleDir: null }), backend).map((h) => [h.channel, h]));
  call = (channel, args) => {
    const h = handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h.listener(appSender, args);
  };
  await backend.create(TEST_PASSPHRASE);
});
afterEach(async () => {
  await backend.lock();
  rmSync(root, { recursive: true, force: true });
});

const keyResult = ipcResultSchema(securityKeySchema);

function ok(r: unknown) {
  const parsed = keyResult.parse(r);
  if (!parsed.ok) throw new Error(`expected ok, got ${parsed.error.code}`);
  return parsed.value;
}

describe('security keys over IPC', () => {
  it('a key with a PIN is refused without it (FIDO2_ERROR, nothing stored) and registered with it, bound to the PIN', async () => {
    const refused = await call(contracts.securityKeys.register.channel, { name: 'PIN key' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FIDO2_ERROR', details: { reason: 'pin-required' } } });
    expect(backend.currentSession().hardwareKeys.list()).toEqual([]);

    const added = ok(await call(contracts.securityKeys.register.channel, { name: 'PIN key', pin: '4821' }));
    expect(added).toMatchObject({ name: 'PIN key', userVerification: true, lastUsedAt: null, revokedAt: null, boundMemories: 0 });
  });

  it('revoking a key level-5 memories are bound to needs force; then it is listed only with revoked keys', async () => {
    const added = ok(await call(contracts.securityKeys.register.channel, { name: 'Blue key', pin: '4821' }));
    // The key has a PIN: the session's level-5 gate asks for it (the window's PIN prompt in the app).
    const session = backend.currentSession();
    session.bindHardwareKey({ transport: transportFor(key), pin: () => Promise.resolve('4821') });
    await session.engine.store({ content: 'sealed', level: 5, title: 'Top' }, { kind: 'owner', channel: 'desktop' });

    const refused = await call(contracts.securityKeys.revoke.channel, { id: added.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { boundMemories: 1 } } });
    const revoked = ok(await call(contracts.securityKeys.revoke.channel, { id: added.id, force: true }));
    expect(revoked.revokedAt).not.toBeNull();
    expect(await call(contracts.securityKeys.list.channel, {})).toEqual({ ok: true, value: [] });
    const all = await call(contracts.securityKeys.list.channel, { includeRevoked: true });
    expect(all).toMatchObject({ ok: true, value: [{ id: added.id, name: 'Blue key' }] });
  });

  it('the key that armed the dead-man switch is marked (revoking it would leave the switch impossible to disarm)', async () => {
    const soft = createSoftKey();
    const transport = transportFor(soft);
    const session = backend.currentSession();
    session.bindHardwareKey({ transport });
    const arming = await registerHardwareKey(session, { transport, name: 'Arming key', surface: 'desktop' });
    const m = await session.engine.store({ content: 'letter', level: 1, title: 'Letter' }, { kind: 'owner', channel: 'desktop' });
    const recipient = await age.identityToRecipient(await age.generateX25519Identity());
    await armDeadman(session, {
      intervalMs: 86_400_000,
      graceMs: 0,
      releaseDir: join(root, 'r'),
      heirs: [{ name: 'a', recipient }],
      memoryIds: [m.id],
    });
    expect(await call(contracts.securityKeys.list.channel, {})).toMatchObject({ ok: true, value: [{ id: arming.id, armsDeadman: true }] });
    await disarmDeadman(session);
    expect(await call(contracts.securityKeys.list.channel, {})).toMatchObject({ ok: true, value: [{ id: arming.id, armsDeadman: false }] });
  });

  it('cancel with nothing waiting says so', async () => {
    expect(await call(contracts.securityKeys.cancelRegister.channel, {})).toEqual({ ok: true, value: { cancelled: false } });
  });
});

describe('dead-man switch over IPC', () => {
  it('arming without a registered key is HARDWARE_REQUIRED and leaves the switch disarmed', async () => {
    const m = await backend.engine.store({ content: 'letter', level: 1, title: 'Letter' }, { kind: 'owner', channel: 'desktop' });
    const recipient = await age.identityToRecipient(await age.generateX25519Identity());
    const r = await call(contracts.deadman.arm.channel, {
      intervalMs: 86_400_000,
      graceMs: 0,
      releaseDir: join(root, 'release'),
      heirs: [{ name: 'alice', recipient }],
      memoryIds: [m.id],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'HARDWARE_REQUIRED' } });
    expect(await call(contracts.deadman.status.channel, {})).toMatchObject({ ok: true, value: { armed: false, phase: 'disarmed' } });
    expect(await call(contracts.deadman.checkIn.channel, {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a recovery key can be sealed instead of memories: needs the vault credential, a wrong one arms nothing', async () => {
    const soft = createSoftKey();
    const transport = transportFor(soft);
    const session = backend.currentSession();
    session.bindHardwareKey({ transport });
    await registerHardwareKey(session, { transport, name: 'Arming key', surface: 'desktop' });
    const recipient = await age.identityToRecipient(await age.generateX25519Identity());
    const arm = (passphrase: string) =>
      call(contracts.deadman.arm.channel, {
        intervalMs: 86_400_000,
        graceMs: 0,
        releaseDir: join(root, 'release'),
        heirs: [{ name: 'alice', recipient }],
        memoryIds: [],
        recoveryKey: { credential: { kind: 'passphrase', passphrase } },
      });
    expect(await arm('not the passphrase')).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    expect(await call(contracts.deadman.status.channel, {})).toMatchObject({ ok: true, value: { armed: false } });
    expect(await arm(TEST_PASSPHRASE)).toMatchObject({ ok: true, value: { armed: true, memories: 0, recoveryKeyIncluded: true } });
    expect(session.profile.recovery?.length).toBe(1);
  });

  it('a locked vault answers VAULT_LOCKED for keys and the switch', async () => {
    await backend.lock();
    for (const channel of [contracts.securityKeys.list.channel, contracts.deadman.status.channel]) {
      expect(await call(channel, {})).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    }
  });
});
