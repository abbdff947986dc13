// Configurable lockdown triggers (stored in vault_state): refusals per requester per window,
// integrity failure, repeated bad credentials (counted next to the header); lifting needs the
// owner's full unlock.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultLockdownRules, readLockdownRules } from '../../src/core/engine/lockdown.js';
import type { MemoryId } from '../../src/core/model/memory.js';
import type { Requester } from '../../src/core/model/requester.js';
import { BAD_CREDENTIALS_FILE, readBadCredentialCount } from '../../src/node/vault/credentials.js';
import { setLockdownRules } from '../../src/cli/commands/recovery/lockdown-rules.js';
import { newVault, passphrase, reopen } from '../support/vault-fixture.js';
import { auditEvents, rejection } from '../hardware/support.js';
import { OWNER } from './support/rotation-vault.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const AGENT: Requester = { kind: 'agent', agentId: 'a1', name: 'bot', maxLevel: 1, namespaces: null };
const WRONG = { kind: 'passphrase', passphrase: 'definitely not it' } as const;

describe('lockdown rules', () => {
  it('refusals per requester per window: the stored rule applies at once (3 refusals here, default 10)', async () => {
    const v = await newVault();
    cleanup = v.remove;
    const secret = await v.session.engine.store({ content: 'private', level: 2, title: 'p' }, OWNER);
    expect(readLockdownRules(v.session.repo)).toEqual(defaultLockdownRules());
    await setLockdownRules(v.session, { ...defaultLockdownRules(), maxRefusals: 3, windowMs: 60_000 });
    for (let i = 0; i < 2; i++)
      expect((await rejection(v.session.engine.recall({ memoryId: secret.id, justification: 'x' }, AGENT))).code).toBe('FORBIDDEN');
    expect(v.session.engine.lockdownStatus().on).toBe(false);
    await rejection(v.session.engine.recall({ memoryId: secret.id, justification: 'x' }, AGENT));
    expect(v.session.engine.lockdownStatus()).toMatchObject({ on: true, by: 'anomaly' });
    expect(auditEvents(v.session, 'lockdown.rules')).toHaveLength(1);
    // Lifting needs the owner's proof (a fresh credential check).
    await expect(v.session.verifyOwner(WRONG)).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    await v.session.engine.lockdownOff(await v.session.verifyOwner(passphrase));
    expect(v.session.engine.lockdownStatus().on).toBe(false);
    v.session.close();
  });

  it('integrity failure trips lockdown when the rule is on, and only then', async () => {
    const v = await newVault();
    cleanup = v.remove;
    const a = await v.session.engine.store({ content: 'one', level: 1, title: 'a' }, OWNER);
    const b = await v.session.engine.store({ content: 'two', level: 1, title: 'b' }, OWNER);
    // Damage both ciphertexts (as a disk error or an attacker with the database key could).
    v.session.database.prepare('UPDATE memories SET ciphertext = zeroblob(length(ciphertext)) WHERE id IN (?, ?)').run(a.id, b.id);
    expect((await rejection(v.session.engine.recall({ memoryId: a.id as MemoryId, justification: 'x' }, OWNER))).code).toBe(
      'INTEGRITY_FAILURE',
    );
    expect(v.session.engine.lockdownStatus().on).toBe(false);
    await setLockdownRules(v.session, { ...defaultLockdownRules(), onIntegrityFailure: true });
    expect((await rejection(v.session.engine.recall({ memoryId: b.id as MemoryId, justification: 'x' }, OWNER))).code).toBe(
      'INTEGRITY_FAILURE',
    );
    expect(v.session.engine.lockdownStatus()).toMatchObject({ on: true, by: 'integrity-rule' });
    expect((await rejection(v.session.engine.recall({ memoryId: a.id as MemoryId, justification: 'x' }, AGENT))).code).toBe('LOCKDOWN');
    v.session.close();
  });

  it('repeated bad credentials: counted next to the header while the rule is on; the next unlock goes into lockdown', async () => {
    const v = await newVault();
    cleanup = v.remove;
    const counter = join(v.dir, BAD_CREDENTIALS_FILE);
    v.session.close();
    // Rule off (default): a wrong passphrase writes nothing.
    await expect(reopen(v.dir, { credentials: WRONG })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    expect(existsSync(counter)).toBe(false);

    const s = await reopen(v.dir);
    await setLockdownRules(s, { ...defaultLockdownRules(), maxBadCredentials: 3 });
    s.close();
    expect(readBadCredentialCount(v.dir)?.count).toBe(0);
    for (let i = 0; i < 2; i++) await expect(reopen(v.dir, { credentials: WRONG })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    const under = await reopen(v.dir);
    expect(under.engine.lockdownStatus().on).toBe(false);
    expect(auditEvents(under, 'unlock.failed').at(-1)?.details).toMatchObject({ failedAttempts: 2 });
    under.close();
    expect(readBadCredentialCount(v.dir)?.count).toBe(0);

    for (let i = 0; i < 3; i++) await expect(reopen(v.dir, { credentials: WRONG })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    expect(readBadCredentialCount(v.dir)?.count).toBe(3);
    const over = await reopen(v.dir);
    try {
      expect(over.engine.lockdownStatus()).toMatchObject({ on: true });
      expect(over.engine.lockdownStatus().reason).toMatch(/3 failed unlock attempts/);
      // Wrong credentials presented to an open session count too, and trip at once.
      await over.engine.lockdownOff(over.ownerProof());
      for (let i = 0; i < 3; i++) await expect(over.verifyOwner(WRONG)).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
      expect(over.engine.lockdownStatus().on).toBe(true);
      await over.engine.lockdownOff(await over.verifyOwner(passphrase));
      expect(over.engine.lockdownStatus().on).toBe(false);
    } finally {
      over.close();
    }
  });

  it('rejects impossible rules', async () => {
    const v = await newVault();
    cleanup = v.remove;
    await expect(setLockdownRules(v.session, { ...defaultLockdownRules(), maxRefusals: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    v.session.close();
  });
});
