// Threat: any module could mint an OwnerProof — it was a plain `{ __ownerProof: true, channel }`
// object — so code holding the engine could lift lockdown or tombstone a memory without the
// owner's credentials. Now only the session's OwnerVerifier mints proofs (frozen objects in a
// module-private WeakSet) and the engine accepts a proof by identity: a literal, a structural
// copy of a real proof, or another vault's proof is refused with UNAUTHORIZED and changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { OwnerProof } from '../../src/core/engine/vault-engine.js';
import type { Requester } from '../../src/core/model/requester.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { rejection } from '../hardware/support.js';
import { newVault, passphrase } from '../support/vault-fixture.js';

const OWNER: Requester = { kind: 'owner', channel: 'cli' };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function vault(): Promise<VaultSession> {
  const v = await newVault();
  cleanups.push(() => {
    v.session.close();
    v.remove();
  });
  return v.session;
}

function forgeries(real: OwnerProof): Record<string, OwnerProof> {
  return {
    'an object literal': { __ownerProof: true, channel: 'cli' },
    'a spread copy of a genuine proof': { ...real },
    'a structurally identical object': JSON.parse(JSON.stringify(real)) as OwnerProof,
    'an object whose prototype is a genuine proof': Object.create(real) as OwnerProof,
  };
}

describe('OwnerProof cannot be forged', () => {
  it("lifting lockdown with a forged proof → UNAUTHORIZED, lockdown stays on; the verifier's proof lifts it", async () => {
    const s = await vault();
    await s.engine.lockdownOn(OWNER, 'test');
    for (const [what, forged] of Object.entries(forgeries(s.ownerProof()))) {
      const e = await rejection(s.engine.lockdownOff(forged));
      expect({ what, code: e.code }).toEqual({ what, code: 'UNAUTHORIZED' });
      expect(s.engine.lockdownStatus().on).toBe(true);
    }
    await s.engine.lockdownOff(await s.verifyOwner(passphrase));
    expect(s.engine.lockdownStatus().on).toBe(false);
  });

  it('tombstoning with a forged proof → UNAUTHORIZED, the memory is untouched and no tombstone leaf is written', async () => {
    const s = await vault();
    const m = await s.engine.store({ content: 'keep me', level: 1, title: 'kept' }, OWNER);
    for (const forged of Object.values(forgeries(s.ownerProof()))) {
      expect((await rejection(s.engine.tombstone({ memoryId: m.id, confirmShortId: m.shortId }, forged))).code).toBe('UNAUTHORIZED');
    }
    expect(s.engine.describe(m.id).tombstoned).toBe(false);
    expect(s.engine.auditLog.list({ kind: 'memory.tombstone', limit: 10 })).toHaveLength(0);
    const done = await s.engine.tombstone({ memoryId: m.id, confirmShortId: m.shortId }, s.ownerProof());
    expect(done.tombstoned).toBe(true);
  });

  it("a genuine proof from another vault's verifier is refused too", async () => {
    const a = await vault();
    const b = await vault();
    await a.engine.lockdownOn(OWNER, 'test');
    expect((await rejection(a.engine.lockdownOff(b.ownerProof()))).code).toBe('UNAUTHORIZED');
    expect(a.engine.lockdownStatus().on).toBe(true);
  });

  it('the proofs a verifier issues are frozen (the channel cannot be rewritten after minting)', async () => {
    const s = await vault();
    const proof = s.ownerProof();
    expect(Object.isFrozen(proof)).toBe(true);
    expect(s.owner.accepts(proof)).toBe(true);
    expect(s.owner.accepts({ ...proof })).toBe(false);
  });
});
