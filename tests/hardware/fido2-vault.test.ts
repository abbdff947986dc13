// FIDO2 keys wired into real vaults: registration over the HID interface (the software
// authenticator behind a soft HID device; the enrol path verifies with @simplewebauthn/server),
// persistence in the encrypted database, the level-5 gate bound on unlock, and the lifecycle.
import { afterEach, describe, expect, it } from 'vitest';
import type { Fido2Status } from '../../src/node/fido2/fido2-status.js';
import type { MemoryId } from '../../src/core/model/memory.js';
import { listHardwareKeys, registerHardwareKey, renameHardwareKey, revokeHardwareKey } from '../../src/node/hardware/hardware-key-admin.js';
import type { HardwareKeyBindingOptions } from '../../src/node/hardware/vault-hardware-key.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { createSoftKey, enrollSoftKey, transportFor, type SoftKey } from '../support/fido2/soft-key.js';
import { airGapped, approvingGate, newVault, openRaw, reopen } from '../support/vault-fixture.js';
import { OWNER, auditEvents, rejection } from './support.js';

const SECRET = 'level-5 plan: the launch code is 0000';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const gates = () => ({ approvals: approvingGate(), environment: airGapped });

/** A vault whose level-5 gate talks to `keys` through one soft HID transport. */
async function vaultWith(keys: SoftKey[], binding: Partial<HardwareKeyBindingOptions> = {}) {
  const statuses: Fido2Status[] = [];
  const transport = transportFor(...keys);
  const hardwareKey: HardwareKeyBindingOptions = { transport, onStatus: (s) => statuses.push(s), ...binding };
  const v = await newVault({ gates: gates(), hardwareKey });
  let session = v.session;
  cleanups.push(() => {
    session.close();
    v.remove();
  });
  return {
    transport,
    statuses,
    get session(): VaultSession {
      return session;
    },
    /** Close and unlock again (the records come back from the database). */
    async reopen(extra: Partial<HardwareKeyBindingOptions> = {}): Promise<VaultSession> {
      session.close();
      session = await reopen(v.dir, { gates: gates(), hardwareKey: { ...hardwareKey, ...extra } });
      return session;
    },
    dir: v.dir,
  };
}

/** Plug in only `key` (of the transport's keys) and register it. */
async function registerOnly(
  v: { session: VaultSession; transport: ReturnType<typeof transportFor> },
  keys: SoftKey[],
  key: SoftKey,
  name: string,
  pin?: string,
) {
  for (const k of keys) k.device.plugged = k === key;
  try {
    return await registerHardwareKey(v.session, { transport: v.transport, name, ...(pin ? { pin: () => Promise.resolve(pin) } : {}) });
  } finally {
    for (const k of keys) k.device.plugged = true;
  }
}

const store5 = (s: VaultSession, title = 'black plan') => s.engine.store({ content: SECRET, level: 5, title }, OWNER);
const recall = (s: VaultSession, id: string) => s.engine.recall({ memoryId: id, justification: 'test' }, OWNER);

describe('FIDO2 key records in the vault', () => {
  it('registers two keys over HID, persists them encrypted, lists them after unlock, audits each registration', async () => {
    const a = createSoftKey();
    const b = createSoftKey();
    const v = await vaultWith([a, b]);

    // With two keys plugged in, the vault does not guess which one the owner means.
    expect((await rejection(registerHardwareKey(v.session, { transport: v.transport, name: 'Blue' }))).code).toBe('INVALID_INPUT');

    const ra = await registerOnly(v, [a, b], a, 'Blue key');
    const rb = await registerOnly(v, [a, b], b, 'Backup key');
    expect(ra.id).not.toBe(rb.id);
    expect(ra).toMatchObject({
      name: 'Blue key',
      kind: 'fido2',
      signCount: 1,
      userVerification: false,
      cloneSuspected: false,
      revokedAt: null,
      boundMemories: 0,
    });
    expect(ra.aaguid).toMatch(/^[0-9a-f-]{36}$/);
    expect(ra.shortId).toBe(ra.id.slice(0, 12));

    // The same key cannot be registered twice while its credential is live.
    expect(await rejection(registerOnly(v, [a, b], a, 'again'))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { reason: 'already-registered' },
    });

    const s = await v.reopen();
    expect(listHardwareKeys(s).map((k) => [k.id, k.name])).toEqual([
      [ra.id, 'Blue key'],
      [rb.id, 'Backup key'],
    ]);
    const registered = auditEvents(s, 'profile.change').filter((e) => e.details?.['action'] === 'hardware-key.register');
    expect(registered.map((e) => e.details?.['credentialId'])).toEqual([ra.id, rb.id]);
    for (const e of registered) {
      expect(e.outcome).toBe('ok');
      expect(Object.keys(e.details ?? {}).sort()).toEqual(['aaguid', 'action', 'credentialId', 'keyKind', 'name', 'userVerification']);
    }

    // At rest: the row's JSON is inside the encrypted database and parses back with the schema.
    s.close();
    const db = await openRaw(v.dir);
    try {
      const rows = db.prepare('SELECT credential_id, kind, record, revoked_at FROM hardware_keys ORDER BY created_at').all() as {
        credential_id: string;
        kind: string;
        record: string;
        revoked_at: number | null;
      }[];
      expect(rows.map((r) => r.kind)).toEqual(['fido2', 'fido2']);
      expect((JSON.parse(rows[0]!.record) as { credentialId: string }).credentialId).toBe(rows[0]!.credential_id);
    } finally {
      db.close();
    }
    await v.reopen();
  });

  it('a record damaged in the database is refused (zod), not trusted', async () => {
    const a = createSoftKey();
    const v = await vaultWith([a]);
    const r = await registerOnly(v, [a], a, 'k');
    v.session.database.prepare("UPDATE hardware_keys SET record = json_set(record, '$.signCount', -5) WHERE credential_id = ?").run(r.id);
    expect((await rejection(Promise.resolve().then(() => listHardwareKeys(v.session)))).code).toBe('VAULT_CORRUPT');
    v.session.database.prepare("UPDATE hardware_keys SET record = json_set(record, '$.signCount', 1) WHERE credential_id = ?").run(r.id);
    expect(listHardwareKeys(v.session)).toHaveLength(1);
  });
});

describe('level 5 with the hardware key bound on unlock', () => {
  it('store and recall end to end need the owner to touch the key (user presence), also after a new unlock', async () => {
    const a = createSoftKey();
    const v = await vaultWith([a]);
    await registerOnly(v, [a], a, 'Blue key');
    a.authenticator.userPresence = 'manual';
    const touchOnRequest = (s: Fido2Status): void => {
      if (s.kind === 'touch-key') setImmediate(() => a.authenticator.touch());
    };
    const s = await v.reopen({ onStatus: touchOnRequest });
    const m = await store5(s);
    const row = s.repo.getMemory(m.id);
    expect(row?.hwCredential).toBe(listHardwareKeys(s)[0]!.id);
    expect(row?.hwSalt).toHaveLength(32);
    const r = await recall(s, m.id);
    expect(r.content.toString('utf8')).toBe(SECRET);

    // The sign counter of every verified assertion is persisted (store: probe+assert, recall: probe+assert).
    expect(listHardwareKeys(s)[0]!.signCount).toBe(a.authenticator.signCount);

    // No touch → no secret: the recall is refused and audited.
    a.authenticator.userPresence = 'deny';
    a.authenticator.upDelayMs = 20;
    const e = await rejection(recall(s, m.id));
    expect(e.code).toBe('TOKEN_REQUIRED');
    const refused = auditEvents(s, 'memory.recall').filter((x) => x.outcome === 'refused');
    expect(refused.at(-1)).toMatchObject({ code: 'TOKEN_REQUIRED', memory: { id: m.id, level: 5 } });
  });

  it('a key shows its last verified use: none after registration, set by a level-5 store, kept by a refused recall', async () => {
    const a = createSoftKey();
    const v = await vaultWith([a]);
    const registered = await registerOnly(v, [a], a, 'Blue key');
    expect(registered.lastUsedAt).toBeNull();
    const before = Date.now();
    const m = await store5(v.session);
    const used = listHardwareKeys(v.session)[0]!;
    expect(Date.parse(used.lastUsedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(used.signCount).toBeGreaterThan(registered.signCount);
    // Kept across a new unlock (it is part of the stored record).
    const s = await v.reopen();
    expect(listHardwareKeys(s)[0]!.lastUsedAt).toBe(used.lastUsedAt);
    // No touch → no verified assertion → no new "last used".
    a.authenticator.userPresence = 'deny';
    a.authenticator.upDelayMs = 20;
    expect((await rejection(recall(s, m.id))).code).toBe('TOKEN_REQUIRED');
    expect(listHardwareKeys(s)[0]!.lastUsedAt).toBe(used.lastUsedAt);
  });

  it('recall without the token → TOKEN_REQUIRED; with a token enrolled elsewhere → TOKEN_MISMATCH; both audited', async () => {
    const a = createSoftKey();
    const b = createSoftKey();
    const stranger = createSoftKey();
    await enrollSoftKey(stranger, { name: 'someone else’s vault' }); // enrolled, but not here
    const v = await vaultWith([a, b, stranger]);
    await registerOnly(v, [a, b, stranger], a, 'Blue key');
    await registerOnly(v, [a, b, stranger], b, 'Backup key');
    const m = await store5(v.session);
    const boundTo = v.session.repo.getMemory(m.id)?.hwCredential;
    expect(boundTo).toBe(listHardwareKeys(v.session).find((k) => k.name === 'Blue key')?.id);

    for (const k of [a, b, stranger]) k.device.plugged = false;
    expect((await rejection(recall(v.session, m.id))).code).toBe('TOKEN_REQUIRED');

    stranger.device.plugged = true;
    expect((await rejection(recall(v.session, m.id))).code).toBe('TOKEN_MISMATCH');

    // The vault's other enrolled key does not hold this memory's credential either.
    stranger.device.plugged = false;
    b.device.plugged = true;
    expect((await rejection(recall(v.session, m.id))).code).toBe('TOKEN_MISMATCH');

    a.device.plugged = true;
    expect((await recall(v.session, m.id)).content.toString('utf8')).toBe(SECRET);
    const codes = auditEvents(v.session, 'memory.recall').map((e) => e.code ?? e.outcome);
    expect(codes).toEqual(['TOKEN_REQUIRED', 'TOKEN_MISMATCH', 'TOKEN_MISMATCH', 'ok']);
  });

  it('a PIN-protected key is registered with its PIN and asked for it on every level-5 use', async () => {
    const PIN = '246810';
    const p = createSoftKey({ pin: PIN });
    const v = await vaultWith([p], { pin: () => Promise.resolve(PIN) });
    // Registering a PIN-protected key without being able to ask for the PIN is refused.
    expect(await rejection(registerHardwareKey(v.session, { transport: v.transport, name: 'PIN key' }))).toMatchObject({
      code: 'FIDO2_ERROR',
      details: { reason: 'pin-required' },
    });
    const rec = await registerOnly(v, [p], p, 'PIN key', PIN);
    expect(rec.userVerification).toBe(true);

    const m = await store5(v.session);
    expect((await recall(v.session, m.id)).content.toString('utf8')).toBe(SECRET);
    expect(v.statuses.filter((s) => s.kind === 'enter-pin').map((s) => s.kind === 'enter-pin' && s.keyName)).toContain('PIN key');

    // A wrong PIN releases nothing.
    const s = await v.reopen({ pin: () => Promise.resolve('000000') });
    const e = await rejection(recall(s, m.id));
    expect(e.code).toBe('TOKEN_REQUIRED');
    expect(e.message).toMatch(/PIN/i);
    expect(JSON.stringify(e)).not.toContain(SECRET);
  });

  it('level-5 store without any registered key → HARDWARE_REQUIRED, nothing stored', async () => {
    const v = await vaultWith([createSoftKey()]);
    expect((await rejection(store5(v.session))).code).toBe('HARDWARE_REQUIRED');
    expect(v.session.engine.status().memories[5]).toBe(0);
  });
});

describe('sign counter and clone suspicion', () => {
  it('a counter regression is flagged, persisted, audited and refused (fail closed) until the key is re-registered', async () => {
    const a = createSoftKey();
    const b = createSoftKey();
    const v = await vaultWith([a, b]);
    const ra = await registerOnly(v, [a, b], a, 'Blue key');
    const rb = await registerOnly(v, [a, b], b, 'Backup key');
    const m = await store5(v.session);
    expect(v.session.repo.getMemory(m.id)?.hwCredential).toBe(ra.id);
    expect((await recall(v.session, m.id)).content.toString('utf8')).toBe(SECRET);
    const before = listHardwareKeys(v.session).find((k) => k.id === ra.id)!;
    expect(before.signCount).toBe(a.authenticator.signCount);

    // A "key" whose counter lags behind the stored one: a clone, or a key restored from a backup.
    a.authenticator.signCount = 1;
    const e = await rejection(recall(v.session, m.id));
    expect(e.code).toBe('TOKEN_MISMATCH');
    expect(e.message).toMatch(/cloned/);

    const s = await v.reopen();
    const flagged = listHardwareKeys(s).find((k) => k.id === ra.id)!;
    expect(flagged).toMatchObject({ cloneSuspected: true, signCount: before.signCount });
    const clone = auditEvents(s, 'profile.change').filter((x) => x.details?.['action'] === 'hardware-key.clone-suspected');
    expect(clone).toHaveLength(1);
    expect(clone[0]).toMatchObject({ outcome: 'refused', code: 'TOKEN_MISMATCH', details: { credentialId: ra.id, name: 'Blue key' } });
    expect(auditEvents(s, 'memory.recall').at(-1)).toMatchObject({ outcome: 'refused', code: 'TOKEN_MISMATCH', memory: { id: m.id } });

    // Still refused later, without even asking the key (its counter does not move).
    const counter = a.authenticator.signCount;
    expect((await rejection(recall(s, m.id))).code).toBe('TOKEN_MISMATCH');
    expect(a.authenticator.signCount).toBe(counter);

    // New level-5 memories go to the remaining trustworthy key.
    const m2 = await store5(s, 'second plan');
    expect(s.repo.getMemory(m2.id as MemoryId)?.hwCredential).toBe(rb.id);
  });
});

describe('key lifecycle: rename, revoke, re-register', () => {
  it('renames and revokes with audit events; a revoked key no longer unlocks its memories; the key can be registered again', async () => {
    const a = createSoftKey();
    const b = createSoftKey();
    const v = await vaultWith([a, b]);
    const ra = await registerOnly(v, [a, b], a, 'Blue key');
    const rb = await registerOnly(v, [a, b], b, 'Backup key');

    const renamed = await renameHardwareKey(v.session, rb.shortId, 'Safe-deposit key');
    expect(renamed).toMatchObject({ id: rb.id, name: 'Safe-deposit key' });
    expect((await rejection(renameHardwareKey(v.session, rb.id, '   '))).code).toBe('INVALID_INPUT');
    expect((await rejection(renameHardwareKey(v.session, 'zzzzzzzz', 'x'))).code).toBe('NOT_FOUND');

    const m = await store5(v.session);
    // Revoking a key that level-5 memories depend on needs an explicit force.
    expect(await rejection(revokeHardwareKey(v.session, ra.id))).toMatchObject({ code: 'INVALID_INPUT', details: { boundMemories: 1 } });
    const revoked = await revokeHardwareKey(v.session, ra.id, { force: true });
    expect(revoked.revokedAt).not.toBeNull();
    expect(listHardwareKeys(v.session).map((k) => k.id)).toEqual([rb.id]);
    expect(listHardwareKeys(v.session, { includeRevoked: true })).toHaveLength(2);
    expect(await rejection(recall(v.session, m.id))).toMatchObject({ code: 'TOKEN_REQUIRED', message: expect.stringMatching(/revoked/) });
    expect((await rejection(revokeHardwareKey(v.session, ra.id))).code).toBe('INVALID_INPUT');

    // Re-register the same physical key: a fresh credential, live again.
    const again = await registerOnly(v, [a, b], a, 'Blue key (new)');
    expect(again.id).not.toBe(ra.id);
    const s = await v.reopen();
    expect(listHardwareKeys(s).map((k) => k.name)).toEqual(['Safe-deposit key', 'Blue key (new)']);
    const m2 = await store5(s, 'after re-registration');
    expect((await recall(s, m2.id)).content.toString('utf8')).toBe(SECRET);

    const actions = auditEvents(s, 'profile.change').map((e) => e.details?.['action']);
    expect(actions).toEqual([
      'hardware-key.register',
      'hardware-key.register',
      'hardware-key.rename',
      'hardware-key.revoke',
      'hardware-key.register',
    ]);
    const text = JSON.stringify(auditEvents(s));
    expect(text).not.toContain(SECRET);
    for (const k of listHardwareKeys(s, { includeRevoked: true })) expect(text).not.toContain(s.hardwareKeys.get(k.id)!.record.publicKey);
  });
});
