// Desktop settings over IPC against a real vault: a round trip through vault_state, survival
// across lock/unlock, validation, auto-lock applied at once, and approval expiry applied to the
// requests of the next unlocked session (and honestly reported until then).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS_STATE_KEY, UNLOCK_CONFIG_FILE } from '../../src/main/services/desktop-settings.js';
import type { Requester } from '../../src/core/model/requester.js';
import type { ApprovalDto } from '../../src/shared/approvals.contract.js';
import { contracts } from '../../src/shared/contracts.js';
import type { SettingsViewDto } from '../../src/shared/settings.contract.js';
import { openRaw, TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { harness, type Harness } from './ipc-fixture.js';

const agent: Requester = { kind: 'agent', agentId: 'agent-7', name: 'Research Bot', maxLevel: 5, namespaces: null };

function value<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
}

let h: Harness;
beforeEach(async () => {
  h = harness();
  value(await h.call(contracts.vault.create.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } }));
});
afterEach(() => h.close());

const get = async () => value<SettingsViewDto>(await h.call(contracts.settings.get.channel, {}));
const relock = async () => {
  value(await h.call(contracts.vault.lock.channel, {}));
  value(await h.call(contracts.vault.unlock.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } }));
};

/** The lifetime the engine gives a new approval request (expiresAt - createdAt), without waiting for it. */
async function approvalLifetimeMs(): Promise<number> {
  const m = await h.backend.engine.store({ content: 'x', level: 3, title: 'Sealed' }, { kind: 'owner', channel: 'desktop' });
  const seen = new Promise<ApprovalDto>((resolve) => {
    const off = h.backend.onApprovalsChanged((v) => {
      if (v.state === 'pending') {
        off();
        resolve(v as ApprovalDto);
      }
    });
  });
  const recall = h.backend.engine.recall({ memoryId: m.id, justification: 'how long?' }, agent).catch(() => undefined);
  const request = await seen;
  value(await h.call(contracts.approvals.decide.channel, { requestId: request.requestId, approve: false, digest: request.digest }));
  await recall;
  return request.expiresAt - request.createdAt;
}

describe('settings', () => {
  it('sealed titles on notifications: off by default, on only when the owner saves it, kept across lock/unlock', async () => {
    expect((await get()).saved.notifySealedTitles).toBeUndefined();
    expect(h.backend.notifySealedTitles).toBe(false);
    value(await h.call(contracts.settings.update.channel, { autoLockMinutes: 5, approvalExpirySeconds: 300, notifySealedTitles: true }));
    expect(h.backend.notifySealedTitles).toBe(true);
    await relock();
    expect(h.backend.notifySealedTitles).toBe(true);
    expect(
      await h.call(contracts.settings.update.channel, { autoLockMinutes: 5, approvalExpirySeconds: 300, notifySealedTitles: 'yes' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // A save that leaves it out turns it off again: the safe reading of "not chosen".
    value(await h.call(contracts.settings.update.channel, { autoLockMinutes: 5, approvalExpirySeconds: 300 }));
    expect(h.backend.notifySealedTitles).toBe(false);
  });

  it('start at the defaults, with nothing pending', async () => {
    expect(await get()).toEqual({
      saved: { autoLockMinutes: 5, approvalExpirySeconds: 300 },
      activeApprovalExpirySeconds: 300,
      approvalExpiryAppliesAtNextUnlock: false,
    });
    expect(h.backend.autoLockSeconds).toBe(300);
  });

  it('round-trip through the vault and survive lock/unlock', async () => {
    const saved = value<SettingsViewDto>(
      await h.call(contracts.settings.update.channel, { autoLockMinutes: 15, approvalExpirySeconds: 120 }),
    );
    expect(saved.saved).toEqual({ autoLockMinutes: 15, approvalExpirySeconds: 120 });
    expect(await get()).toEqual(saved);
    await relock();
    expect((await get()).saved).toEqual({ autoLockMinutes: 15, approvalExpirySeconds: 120 });
    // Stored in vault_state under its key, as JSON the zod schema reads back.
    value(await h.call(contracts.vault.lock.channel, {}));
    const db = await openRaw(h.dir);
    try {
      const row = db.prepare('SELECT value FROM vault_state WHERE key = ?').get(SETTINGS_STATE_KEY) as { value: string } | undefined;
      expect(JSON.parse(row?.value ?? 'null')).toEqual({ autoLockMinutes: 15, approvalExpirySeconds: 120 });
    } finally {
      db.close();
    }
  });

  it('auto-lock applies at once: the idle-lock reads the new value', async () => {
    value(await h.call(contracts.settings.update.channel, { autoLockMinutes: 12, approvalExpirySeconds: 300 }));
    expect(h.backend.autoLockSeconds).toBe(12 * 60);
  });

  it('approval expiry applies to new requests from the next unlock, and the reply says so until then', async () => {
    expect(await approvalLifetimeMs()).toBe(300_000);
    const saved = value<SettingsViewDto>(
      await h.call(contracts.settings.update.channel, { autoLockMinutes: 5, approvalExpirySeconds: 45 }),
    );
    expect(saved).toMatchObject({ activeApprovalExpirySeconds: 300, approvalExpiryAppliesAtNextUnlock: true });
    expect(await approvalLifetimeMs()).toBe(300_000);
    await relock();
    expect(await get()).toMatchObject({ activeApprovalExpirySeconds: 45, approvalExpiryAppliesAtNextUnlock: false });
    expect(await approvalLifetimeMs()).toBe(45_000);
  });

  it('the vault copy wins over its unlock mirror: a deleted or edited mirror affects one session and is repaired', async () => {
    value(await h.call(contracts.settings.update.channel, { autoLockMinutes: 5, approvalExpirySeconds: 60 }));
    const mirror = join(h.dir, UNLOCK_CONFIG_FILE);
    for (const tamper of [
      () => rmSync(mirror),
      () => writeFileSync(mirror, JSON.stringify({ v: 1, approvalExpirySeconds: 3600 })),
      () => writeFileSync(mirror, 'garbage'),
    ]) {
      value(await h.call(contracts.vault.lock.channel, {}));
      tamper();
      value(await h.call(contracts.vault.unlock.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } }));
      const view = await get();
      expect(view.saved.approvalExpirySeconds).toBe(60);
      expect(view.approvalExpiryAppliesAtNextUnlock).toBe(view.activeApprovalExpirySeconds !== 60);
      expect(JSON.parse(readFileSync(mirror, 'utf8'))).toEqual({ v: 1, approvalExpirySeconds: 60 });
      await relock();
      expect(await get()).toMatchObject({ activeApprovalExpirySeconds: 60, approvalExpiryAppliesAtNextUnlock: false });
    }
  });

  it('refuses values out of range with INVALID_INPUT and keeps the stored ones', async () => {
    value(await h.call(contracts.settings.update.channel, { autoLockMinutes: 10, approvalExpirySeconds: 90 }));
    for (const bad of [
      { autoLockMinutes: 0, approvalExpirySeconds: 90 },
      { autoLockMinutes: 10, approvalExpirySeconds: 5 },
      { autoLockMinutes: 10, approvalExpirySeconds: 90.5 },
      { autoLockMinutes: 10 },
    ]) {
      expect(await h.call(contracts.settings.update.channel, bad), JSON.stringify(bad)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    }
    expect((await get()).saved).toEqual({ autoLockMinutes: 10, approvalExpirySeconds: 90 });
  });

  it('are refused while the vault is locked (they live inside it)', async () => {
    value(await h.call(contracts.vault.lock.channel, {}));
    expect(await h.call(contracts.settings.get.channel, {})).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    expect(await h.call(contracts.settings.update.channel, { autoLockMinutes: 5, approvalExpirySeconds: 300 })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
    expect(h.backend.autoLockSeconds).toBe(300);
  });
});
