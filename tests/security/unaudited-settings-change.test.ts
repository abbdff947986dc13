// Threat: an owner setting that weakens a gate (the lockdown triggers, the boundary's air-gap
// assertion and online policy) is written in one transaction and audited in another, so a crash
// or a full disk between the two leaves a weaker vault whose log does not show the change.
// Each setting is changed once with its audit append failing — afterwards NEITHER the new value
// NOR its leaf may be there — and once normally, finding BOTH.
import { afterEach, describe, expect, it } from 'vitest';
import { LOCKDOWN_RULES_STATE, readLockdownRules } from '../../src/core/engine/lockdown.js';
import { BOUNDARY_STATE_KEY, loadBoundaryConfig } from '../../src/core/integrations/boundary/boundary-config.js';
import { changeBoundaryConfig } from '../../src/node/integrations/boundary-settings.js';
import { setLockdownRules } from '../../src/cli/commands/recovery/lockdown-rules.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { failAppendsOf } from '../support/fail-appends.js';
import { newVault } from '../support/vault-fixture.js';
import { auditEvents, rejection } from '../hardware/support.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function vault(): Promise<VaultSession> {
  const v = await newVault();
  cleanups.push(() => {
    v.session.close();
    v.remove();
  });
  return v.session;
}

describe('owner settings: state and leaf in one transaction', () => {
  it('lockdown rules: a failed lockdown.rules append keeps the old rules and leaves no leaf', async () => {
    const session = await vault();
    const before = readLockdownRules(session.repo);
    const weaker = { ...before, maxRefusals: before.maxRefusals + 1000, onIntegrityFailure: false };
    const undo = failAppendsOf(session, 'lockdown.rules');
    expect((await rejection(setLockdownRules(session, weaker))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(session.repo.getState(LOCKDOWN_RULES_STATE)).toBeUndefined();
    expect(readLockdownRules(session.repo)).toEqual(before);
    expect(auditEvents(session, 'lockdown.rules')).toHaveLength(0);
    // Success path: both.
    await setLockdownRules(session, weaker);
    expect(readLockdownRules(session.repo)).toEqual(weaker);
    const leaves = auditEvents(session, 'lockdown.rules');
    expect(leaves).toHaveLength(1);
    expect(leaves[0]?.details?.['maxRefusals']).toBe(weaker.maxRefusals);
  });

  it('boundary config: a failed boundary.config append keeps the old settings and leaves no leaf', async () => {
    const session = await vault();
    const before = loadBoundaryConfig(session.repo);
    const owner = { type: 'owner', id: 'cli' } as const;
    const undo = failAppendsOf(session, 'boundary.config');
    expect((await rejection(changeBoundaryConfig(session.engine, { airgap: true, onlineMaxLevel: 5 }, owner))).code).toBe('AUDIT_FAILURE');
    undo();
    expect(session.repo.getState(BOUNDARY_STATE_KEY)).toBeUndefined();
    expect(loadBoundaryConfig(session.repo)).toEqual(before);
    expect(auditEvents(session, 'boundary.config')).toHaveLength(0);
    // Success path: both, and a second change starts from the first.
    await changeBoundaryConfig(session.engine, { airgap: true }, owner);
    await changeBoundaryConfig(session.engine, { onlineMaxLevel: 2 }, owner);
    expect(loadBoundaryConfig(session.repo)).toEqual({ ...before, airgap: true, onlineMaxLevel: 2 });
    const leaves = auditEvents(session, 'boundary.config');
    expect(leaves.map((l) => [l.details?.['airgap'], l.details?.['onlineMaxLevel']])).toEqual([
      [true, before.onlineMaxLevel],
      [true, 2],
    ]);
  });
});
