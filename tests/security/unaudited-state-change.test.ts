// Threat: a node-side feature changes vault state in one transaction and writes its audit leaf
// in another, so a crash (or a full disk) between the two leaves a change nobody can see in the
// log, and two concurrent dead-man checks both record the release (issue 14 item 1).
// Each feature is driven once with an audit append that fails for its event kind — afterwards
// NEITHER the state change NOR its leaf may be there — and once normally, finding BOTH.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as age from 'age-encryption';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/ports/clock.port.js';
import {
  armDeadman,
  checkInDeadman,
  deadmanStatus,
  disarmDeadman,
  readDeadmanState,
  releaseIfDue,
} from '../../src/node/deadman/deadman.service.js';
import { createEscrow, listEscrows } from '../../src/node/escrow/escrow.service.js';
import { rotateProfileKey } from '../../src/node/rotation/rotate-profile-key.js';
import { ROTATION_MARKER_STATE } from '../../src/node/rotation/rotation-marker.js';
import { writeBackup } from '../../src/node/backup/backup-writer.js';
import { listHardwareKeys, registerHardwareKey, revokeHardwareKey } from '../../src/node/hardware/hardware-key-admin.js';
import { readStoredSettings, SETTINGS_STATE_KEY, writeStoredSettings } from '../../src/main/services/desktop-settings.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { EffortStore } from '../../src/node/integrations/effort-store.js';
import { IntentLinks } from '../../src/node/integrations/intent-links.js';
import { failAppendsOf } from '../support/fail-appends.js';
import { fakeHardwareKey } from '../support/fake-hardware-key.js';
import { createSoftKey, transportFor } from '../support/fido2/soft-key.js';
import { airGapped, approvingGate, newVault, passphrase, reopen } from '../support/vault-fixture.js';
import { auditEvents, OWNER, rejection } from '../hardware/support.js';

const DAY = 24 * 3_600_000;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function fakeClock(start = Date.UTC(2030, 0, 1)): Clock & { advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

async function vault(opts: Parameters<typeof newVault>[0] = {}): Promise<{ session: VaultSession; dir: string }> {
  const v = await newVault(opts);
  const holder = { session: v.session };
  cleanups.push(() => {
    holder.session.close();
    v.remove();
  });
  return { session: v.session, dir: v.dir };
}

async function heirList(n: number) {
  const ids = await Promise.all(Array.from({ length: n }, () => age.generateX25519Identity()));
  return Promise.all(ids.map(async (i, k) => ({ name: `heir${k}`, recipient: await age.identityToRecipient(i) })));
}

async function armedDeadman(arm = true) {
  const clock = fakeClock();
  const hw = fakeHardwareKey();
  const v = await vault({ clock, gates: { hardwareKey: hw, approvals: approvingGate() } });
  const root = mkdtempSync(join(tmpdir(), 'mv-unaudited-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const m = await v.session.engine.store({ content: 'for the heirs', level: 2, title: 'note' }, OWNER);
  const opts = {
    intervalMs: 7 * DAY,
    graceMs: DAY,
    releaseDir: join(root, 'release'),
    heirs: await heirList(2),
    memoryIds: [m.id],
    includeRecoveryKey: true,
    credentials: passphrase,
  };
  if (arm) await armDeadman(v.session, opts);
  return { ...v, clock, opts };
}

describe('dead-man switch: state and leaf in one transaction', () => {
  it('arm: a failed deadman.arm append leaves the switch unarmed, no leaf, and no recovery slot', async () => {
    const { session, opts } = await armedDeadman(false);
    const undo = failAppendsOf(session, 'deadman.arm');
    expect((await rejection(armDeadman(session, opts))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(readDeadmanState(session)).toBeNull();
    expect(auditEvents(session, 'deadman.arm')).toHaveLength(0);
    expect(session.profile.recovery ?? []).toHaveLength(0);
    // Success path: both.
    await armDeadman(session, opts);
    expect(deadmanStatus(session).armed).toBe(true);
    expect(auditEvents(session, 'deadman.arm')).toHaveLength(1);
  });

  it('check-in: a failed deadman.checkin append keeps the old check-in time and leaves no leaf', async () => {
    const { session, clock } = await armedDeadman();
    const before = readDeadmanState(session)?.lastCheckIn;
    clock.advance(3 * DAY);
    const undo = failAppendsOf(session, 'deadman.checkin');
    expect((await rejection(checkInDeadman(session))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(readDeadmanState(session)?.lastCheckIn).toBe(before);
    expect(auditEvents(session, 'deadman.checkin')).toHaveLength(0);
    await checkInDeadman(session);
    expect(readDeadmanState(session)?.lastCheckIn).toBe(clock.now());
    expect(auditEvents(session, 'deadman.checkin')).toHaveLength(1);
  });

  it('disarm: a failed deadman.disarm append leaves the switch armed and no ok leaf', async () => {
    const { session } = await armedDeadman();
    const undo = failAppendsOf(session, 'deadman.disarm');
    expect((await rejection(disarmDeadman(session))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(deadmanStatus(session).armed).toBe(true);
    expect(auditEvents(session, 'deadman.disarm').filter((e) => e.outcome === 'ok')).toHaveLength(0);
    await disarmDeadman(session);
    expect(deadmanStatus(session).armed).toBe(false);
    expect(auditEvents(session, 'deadman.disarm').filter((e) => e.outcome === 'ok')).toHaveLength(1);
  });

  it('release: a failed deadman.release append leaves it unreleased (retried later) and no leaf', async () => {
    const { session, clock } = await armedDeadman();
    clock.advance(9 * DAY);
    const undo = failAppendsOf(session, 'deadman.release');
    expect((await rejection(releaseIfDue(session))).code).toBe('AUDIT_FAILURE');
    undo();
    // The package files may already be written (same bytes on every attempt); the state is not.
    expect(readDeadmanState(session)?.released).toBeNull();
    expect(auditEvents(session, 'deadman.release')).toHaveLength(0);
    expect((await releaseIfDue(session)).released).toBe(true);
    expect(readDeadmanState(session)?.released).not.toBeNull();
    expect(auditEvents(session, 'deadman.release')).toHaveLength(1);
  });

  it('release: two concurrent callers → exactly one release leaf; the second finds it released', async () => {
    const { session, clock } = await armedDeadman();
    clock.advance(9 * DAY);
    const [a, b] = await Promise.all([releaseIfDue(session), releaseIfDue(session)]);
    expect([a.released, b.released].sort()).toEqual([false, true]);
    expect(auditEvents(session, 'deadman.release')).toHaveLength(1);
    expect((await releaseIfDue(session)).released).toBe(false);
    expect(auditEvents(session, 'deadman.release')).toHaveLength(1);
  });
});

describe('escrow, rotation, backup: state and leaf in one transaction', () => {
  const recipients = [{ kind: 'text' as const }, { kind: 'text' as const }, { kind: 'text' as const }];

  it('escrow create: a failed escrow.create append leaves no escrow row, no slot and no leaf', async () => {
    const { session } = await vault();
    const undo = failAppendsOf(session, 'escrow.create');
    expect((await rejection(createEscrow(session, { credentials: passphrase, label: 'family', threshold: 2, recipients }))).code).toBe(
      'AUDIT_FAILURE',
    );
    undo();
    expect(listEscrows(session, true)).toHaveLength(0);
    expect(session.profile.recovery ?? []).toHaveLength(0);
    expect(auditEvents(session, 'escrow.create')).toHaveLength(0);
    const made = await createEscrow(session, { credentials: passphrase, label: 'family', threshold: 2, recipients });
    expect(listEscrows(session).map((e) => e.id)).toEqual([made.escrowId]);
    expect(auditEvents(session, 'escrow.create')).toHaveLength(1);
  });

  it('rotation: a failed key.rotation append leaves the old keys, no marker, no rewrap and no leaf', async () => {
    const v = await vault();
    const m = await v.session.engine.store({ content: 'rotate me', level: 2, title: 'r' }, OWNER);
    const fp0 = v.session.profileKeyFingerprint;
    failAppendsOf(v.session, 'key.rotation');
    expect((await rejection(rotateProfileKey(v.session, { credentials: passphrase }))).code).toBe('AUDIT_FAILURE');
    // rotateProfileKey closes its session either way: look again from a fresh unlock.
    const s1 = await reopen(v.dir);
    cleanups.push(() => s1.close());
    expect(s1.profileKeyFingerprint).toBe(fp0);
    expect(s1.profile.rotation).toBeUndefined();
    expect(s1.repo.getState(ROTATION_MARKER_STATE)).toBeUndefined();
    expect(auditEvents(s1, 'key.rotation')).toHaveLength(0);
    expect((await s1.engine.recall({ memoryId: m.id }, OWNER)).content.toString()).toBe('rotate me');
    const r = await rotateProfileKey(s1, { credentials: passphrase });
    const s2 = await reopen(v.dir);
    cleanups.push(() => s2.close());
    expect(s2.profileKeyFingerprint).toBe(r.to);
    expect(s2.repo.getState(ROTATION_MARKER_STATE)).toBe(r.rotationId);
    expect(auditEvents(s2, 'key.rotation').map((e) => e.details?.['rotationId'])).toEqual([r.rotationId]);
  });

  it('backup create: a failed backup.create append records no last backup and no leaf', async () => {
    const { session, dir } = await vault();
    await session.engine.store({ content: 'backed up', level: 1, title: 'b' }, OWNER);
    const protection = {
      kind: 'passphrase' as const,
      passphrase: 'backup passphrase 1',
      kdfCost: { opsLimit: 1, memLimitBytes: 8 * 1024 * 1024 },
    };
    const failed = join(dir, '..', `${session.header.vaultId}-a.mvbak`);
    cleanups.push(() => rmSync(failed, { force: true }));
    const undo = failAppendsOf(session, 'backup.create');
    // The file is written before the record (an unrecorded file, never a recorded missing one).
    expect((await rejection(writeBackup(session, { out: failed, protection }))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(session.repo.getState('backup.last')).toBeUndefined();
    expect(auditEvents(session, 'backup.create')).toHaveLength(0);
    const out = join(dir, '..', `${session.header.vaultId}-b.mvbak`);
    cleanups.push(() => rmSync(out, { force: true }));
    const h = await writeBackup(session, { out, protection });
    expect(JSON.parse(session.repo.getState('backup.last') ?? '{}')).toMatchObject({ backupId: h.backupId });
    expect(auditEvents(session, 'backup.create').map((e) => e.details?.['backupId'])).toEqual([h.backupId]);
  });
});

describe('FIDO2 keys and settings: state and leaf in one transaction', () => {
  it('key register and revoke: a failed profile.change append leaves the key list unchanged and no leaf', async () => {
    const key = createSoftKey();
    const transport = transportFor(key);
    const { session } = await vault({ gates: { approvals: approvingGate(), environment: airGapped }, hardwareKey: { transport } });
    let undo = failAppendsOf(session, 'profile.change');
    expect((await rejection(registerHardwareKey(session, { transport, name: 'Blue key' }))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(listHardwareKeys(session, { includeRevoked: true })).toHaveLength(0);
    expect(auditEvents(session, 'profile.change')).toHaveLength(0);

    const registered = await registerHardwareKey(session, { transport, name: 'Blue key' });
    expect(listHardwareKeys(session).map((k) => k.id)).toEqual([registered.id]);
    expect(auditEvents(session, 'profile.change').map((e) => e.details?.['action'])).toEqual(['hardware-key.register']);

    undo = failAppendsOf(session, 'profile.change');
    expect((await rejection(revokeHardwareKey(session, registered.id))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(listHardwareKeys(session).map((k) => k.revokedAt)).toEqual([null]);
    expect(auditEvents(session, 'profile.change')).toHaveLength(1);
    await revokeHardwareKey(session, registered.id);
    expect(listHardwareKeys(session)).toHaveLength(0);
    expect(auditEvents(session, 'profile.change').map((e) => e.details?.['action'])).toEqual([
      'hardware-key.register',
      'hardware-key.revoke',
    ]);
  });

  it('settings change: a failed settings.change append saves nothing; a save records the changed names, not values', async () => {
    const { session } = await vault();
    const undo = failAppendsOf(session, 'settings.change');
    expect((await rejection(writeStoredSettings(session.engine, { autoLockMinutes: 15, approvalExpirySeconds: 120 }))).code).toBe(
      'AUDIT_FAILURE',
    );
    undo();
    expect(session.repo.getState(SETTINGS_STATE_KEY)).toBeUndefined();
    expect(auditEvents(session, 'settings.change')).toHaveLength(0);

    await writeStoredSettings(session.engine, { autoLockMinutes: 15, approvalExpirySeconds: 120 });
    expect(readStoredSettings(session.repo)).toEqual({ autoLockMinutes: 15, approvalExpirySeconds: 120 });
    await writeStoredSettings(session.engine, { autoLockMinutes: 15, approvalExpirySeconds: 300, notifySealedTitles: true });
    // Saving the same values again changes nothing and records nothing.
    await writeStoredSettings(session.engine, { autoLockMinutes: 15, approvalExpirySeconds: 300, notifySealedTitles: true });
    const leaves = auditEvents(session, 'settings.change');
    expect(leaves.map((e) => e.details?.['changed'])).toEqual([
      ['autoLockMinutes', 'approvalExpirySeconds'],
      ['approvalExpirySeconds', 'notifySealedTitles'],
    ]);
    // Every field but the leaf's own timestamp (whose minutes or seconds can be 15).
    const withoutTime = leaves.map((e) => ({
      kind: e.kind,
      outcome: e.outcome,
      code: e.code,
      reason: e.reason,
      memory: e.memory,
      details: e.details,
    }));
    expect(JSON.stringify(withoutTime)).not.toMatch(/"(15|120|300)"|:15\b|:120\b|:300\b/);
  });
});

describe('the audited write path itself', () => {
  it('a work that wrote and yields no leaf is rolled back (AUDIT_FAILURE), so no change is ever silent', async () => {
    const { session } = await vault();
    const size = session.engine.status().auditEvents;
    const e = await rejection(
      session.engine.runAudited(
        (tx) => tx.setState('probe.silent', 'x'),
        () => null,
      ),
    );
    expect(e.code).toBe('AUDIT_FAILURE');
    expect(session.repo.getState('probe.silent')).toBeUndefined();
    expect(session.engine.status().auditEvents).toBe(size);
  });
});

describe('integrations (intent links, effort receipts): state and leaf in one transaction', () => {
  it('intent link and unlink: a failed intent.* append leaves the links unchanged and no leaf', async () => {
    const { session } = await vault();
    const links = new IntentLinks(session.database, session.engine);
    const m = await session.engine.store({ content: 'linked', level: 2, title: 'l' }, OWNER);
    let undo = failAppendsOf(session, 'intent.link');
    expect((await rejection(links.link(m.id, 'intent-9'))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(links.intentsOf(m.id)).toEqual([]);
    expect(auditEvents(session, 'intent.link')).toHaveLength(0);
    expect(await links.link(m.id, 'intent-9')).toEqual({ linked: true });
    expect(links.intentsOf(m.id).map((l) => l.intentRef)).toEqual(['intent-9']);
    expect(auditEvents(session, 'intent.link')).toHaveLength(1);

    undo = failAppendsOf(session, 'intent.unlink');
    expect((await rejection(links.unlink(m.id, 'intent-9'))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(links.intentsOf(m.id).map((l) => l.intentRef)).toEqual(['intent-9']);
    expect(auditEvents(session, 'intent.unlink')).toHaveLength(0);
    expect(await links.unlink(m.id, 'intent-9')).toEqual({ unlinked: true });
    expect(links.intentsOf(m.id)).toEqual([]);
    expect(auditEvents(session, 'intent.unlink')).toHaveLength(1);
  });

  it('effort receipt: a failed effort.receipt append stores no receipt and no leaf; a retry stores both', async () => {
    const { session } = await vault();
    const keys = session.engine.auditLog.keys;
    const store = new EffortStore(
      session.database,
      { verifierKey: keys.verifierKey, sign: (msg) => keys.signer.sign(msg) },
      session.engine,
    );
    const m = await session.engine.store({ content: 'worked on', level: 1, title: 'e' }, OWNER);
    const seg = store.start('task', { id: 'memory-vault-cli', captureModality: 'manual-entry' });
    store.signal('text_edit', 'wrote the parser');
    store.stop('done');
    const undo = failAppendsOf(session, 'effort.receipt');
    expect((await rejection(store.issue(seg.id, m.id))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(store.receiptsOf(m.id)).toEqual([]);
    expect(store.pending().map((p) => p.id)).toEqual([seg.id]);
    expect(auditEvents(session, 'effort.receipt')).toHaveLength(0);
    const issued = await store.issue(seg.id, m.id);
    expect(store.receiptsOf(m.id).map((r) => r.receiptHash)).toEqual([issued.receiptHash]);
    expect(auditEvents(session, 'effort.receipt').map((e) => e.details?.['receiptHash'])).toEqual([issued.receiptHash]);
  });
});
