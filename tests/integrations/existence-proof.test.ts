// Existence proofs: commitment + Merkle inclusion proof, verified offline; no plaintext inside.
import { afterEach, describe, expect, it } from 'vitest';
import { existenceDisclosureSchema } from '../../src/core/integrations/existence/existence-proof.js';
import { verifyExistenceProof } from '../../src/core/integrations/existence/verify-existence.js';
import type { Requester } from '../../src/core/model/requester.js';
import { discloseExistence, proveExistence } from '../../src/node/integrations/existence-prover.js';
import { airGapped, approvingGate, newVault } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const CANARY = 'mv-canary-existence-7a1c';
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function vault() {
  const v = await newVault({ gates: { approvals: approvingGate(), environment: airGapped } });
  cleanup = () => {
    v.session.close();
    v.remove();
  };
  return v.session;
}

describe('existence proofs', () => {
  it('verify for the right content and salt and fail for any other content', async () => {
    const s = await vault();
    const m = await s.engine.store({ content: `the secret plan ${CANARY}`, level: 3, title: `title ${CANARY}` }, owner);
    await s.engine.store({ content: 'another memory', level: 1, title: 'other' }, owner);
    const proof = await proveExistence(s, m.id);
    const disclosure = existenceDisclosureSchema.parse(await discloseExistence(s, m.id, owner));
    const content = Buffer.from(disclosure.contentBase64, 'base64');
    const salt = Buffer.from(disclosure.salt, 'hex');
    const key = s.engine.auditLog.verifierKey;

    // The proof file is plaintext-free: no content, no title.
    const file = JSON.stringify(proof);
    expect(file).not.toContain(CANARY);
    expect(file).not.toContain(Buffer.from(CANARY).toString('base64'));
    expect(file).not.toContain(disclosure.salt);
    expect(proof.statement).toMatch(/not a zero-knowledge proof/);

    expect(verifyExistenceProof(JSON.parse(file), { trustedKey: key })).toMatchObject({
      valid: true,
      keyPinned: true,
      contentChecked: false,
    });
    expect(verifyExistenceProof(JSON.parse(file), { trustedKey: key, content, salt })).toMatchObject({ valid: true, contentChecked: true });

    const wrong = verifyExistenceProof(JSON.parse(file), { trustedKey: key, content: Buffer.from('the secret plan, edited'), salt });
    expect(wrong.valid).toBe(false);
    expect(wrong.failures.join(' ')).toMatch(/do not open the commitment/);
    const flipped = Buffer.from(content);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(verifyExistenceProof(JSON.parse(file), { trustedKey: key, content: flipped, salt }).valid).toBe(false);
    expect(verifyExistenceProof(JSON.parse(file), { trustedKey: key, content, salt: Buffer.alloc(16) }).valid).toBe(false);
  });

  it('rejects a forged commitment, a foreign key, and a checkpoint beyond the time bound', async () => {
    const s = await vault();
    const m = await s.engine.store({ content: 'x', level: 1, title: 't' }, owner);
    const proof = await proveExistence(s, m.id);
    const key = s.engine.auditLog.verifierKey;
    // Swap in another commitment consistently: the signed log does not contain that event.
    const other = 'a'.repeat(64);
    const forged = {
      ...proof,
      commitment: other,
      event: { ...proof.event, canonicalJson: proof.event.canonicalJson.replace(proof.commitment, other) },
    };
    expect(verifyExistenceProof(forged, { trustedKey: key }).failures.join(' ')).toMatch(/inclusion proof fails/);

    const otherVault = await newVault();
    const foreignKey = otherVault.session.engine.auditLog.verifierKey;
    otherVault.session.close();
    otherVault.remove();
    expect(verifyExistenceProof(proof, { trustedKey: foreignKey }).valid).toBe(false);

    // Time-bound variant: the proof uses the earliest checkpoint covering the store event.
    expect(verifyExistenceProof(proof, { trustedKey: key, beforeSize: proof.checkpointSize }).valid).toBe(true);
    expect(verifyExistenceProof(proof, { trustedKey: key, beforeSize: proof.event.index }).valid).toBe(false);
    expect(proof.checkpointSize).toBeGreaterThan(proof.event.index);
  });
});
