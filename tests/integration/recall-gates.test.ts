// Round trip for every level with the right gates (DESIGN §2, §3).
import { afterEach, describe, expect, it } from 'vitest';
import { LEVELS, type Level } from '../../src/core/levels.js';
import type { Requester } from '../../src/core/model/requester.js';
import { airGapped, approvingGate, decidingGate, newVault, online } from '../support/vault-fixture.js';
import { fakeHardwareKey } from '../support/fake-hardware-key.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { codeOf } from '../support/outcome.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent = (maxLevel: Level, namespaces: string[] | null = null): Requester => ({
  kind: 'agent',
  agentId: `agent-${maxLevel}`,
  name: 'test agent',
  maxLevel,
  namespaces,
});

function auditKinds(s: VaultSession): { kind: string; outcome: string; code?: string }[] {
  return s.repo.readAuditRecords(0, 10_000).map((r) => JSON.parse(r.json) as { kind: string; outcome: string; code?: string });
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

async function vault(opts: Parameters<typeof newVault>[0] = {}) {
  const v = await newVault(opts);
  cleanup.push(() => {
    v.session.close();
    v.remove();
  });
  return v.session;
}

describe('recall gates per level', () => {
  it('round-trips every level when every gate is satisfied', async () => {
    const hw = fakeHardwareKey();
    const approvals = approvingGate();
    const s = await vault({ gates: { approvals, environment: airGapped, hardwareKey: hw } });
    for (const level of LEVELS) {
      const m = await s.engine.store({ content: `content at level ${level}`, level, title: `L${level}` }, owner);
      const r = await s.engine.recall({ memoryId: m.id, justification: 'test' }, owner);
      expect(r.content.toString()).toBe(`content at level ${level}`);
      expect(r.memory.level).toBe(level);
    }
    expect(approvals.asked).toBe(3); // levels 3, 4, 5
    expect(hw.touches).toBe(2); // level-5 store and recall
  });

  it('with no approver registered, levels 3-5 are refused with APPROVAL_REQUIRED and 0-2 pass', async () => {
    const hw = fakeHardwareKey();
    const s = await vault({ gates: { environment: airGapped, hardwareKey: hw } });
    const codes: Record<number, string> = {};
    for (const level of LEVELS) {
      const m = await s.engine.store({ content: 'x', level, title: `L${level}` }, owner);
      codes[level] = await codeOf(s.engine.recall({ memoryId: m.id }, owner));
    }
    expect(codes).toEqual({ 0: 'OK', 1: 'OK', 2: 'OK', 3: 'APPROVAL_REQUIRED', 4: 'APPROVAL_REQUIRED', 5: 'APPROVAL_REQUIRED' });
    const refused = auditKinds(s).filter((e) => e.kind === 'memory.recall' && e.outcome === 'refused');
    expect(refused.map((e) => e.code)).toEqual(['APPROVAL_REQUIRED', 'APPROVAL_REQUIRED', 'APPROVAL_REQUIRED']);
  });

  it('a test approver lets level 3 through without any boundary provider; levels 4-5 still need one', async () => {
    const s = await vault({ gates: { approvals: approvingGate() } });
    const m3 = await s.engine.store({ content: 'sealed', level: 3, title: 'L3' }, owner);
    expect((await s.engine.recall({ memoryId: m3.id }, owner)).content.toString()).toBe('sealed');
    const m4 = await s.engine.store({ content: 'vaulted', level: 4, title: 'L4' }, owner);
    expect(await codeOf(s.engine.recall({ memoryId: m4.id }, owner))).toBe('BOUNDARY_DENIED');
    s.engine.setGates({ environment: online });
    expect(await codeOf(s.engine.recall({ memoryId: m4.id }, owner))).toBe('BOUNDARY_DENIED');
  });

  it('level 5: store needs an enrolled key; recall without or with the wrong token is refused', async () => {
    const s = await vault({ gates: { approvals: approvingGate(), environment: airGapped } });
    expect(await codeOf(s.engine.store({ content: 'black', level: 5, title: 'L5' }, owner))).toBe('HARDWARE_REQUIRED');
    const hw = fakeHardwareKey();
    s.engine.setGates({ hardwareKey: hw });
    const m = await s.engine.store({ content: 'black', level: 5, title: 'L5' }, owner);
    s.engine.setGates({ hardwareKey: null });
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('TOKEN_REQUIRED');
    s.engine.setGates({ hardwareKey: fakeHardwareKey() });
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('TOKEN_MISMATCH');
    hw.present = false;
    s.engine.setGates({ hardwareKey: hw });
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('TOKEN_REQUIRED');
    hw.present = true;
    expect((await s.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe('black');
  });

  it('denied, expired and cancelled approvals are refused with their own codes and audited', async () => {
    const s = await vault({ gates: { approvals: decidingGate('denied') } });
    const m = await s.engine.store({ content: 'x', level: 3, title: 'L3' }, owner);
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('APPROVAL_DENIED');
    s.engine.setGates({ approvals: decidingGate('expired') });
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('APPROVAL_EXPIRED');
    s.engine.setGates({ approvals: decidingGate('cancelled') });
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('APPROVAL_CANCELLED');
    const kinds = auditKinds(s).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'approval.requested')).toHaveLength(3);
    expect(kinds).toContain('approval.denied');
    expect(kinds).toContain('approval.expired');
    expect(kinds).toContain('approval.cancelled');
  });

  it('a level-3 grant skips the dialog for that agent and memory only, and never applies to level 4', async () => {
    const approvals = approvingGate(30);
    const s = await vault({ gates: { approvals, environment: airGapped } });
    const a = agent(5);
    const m3 = await s.engine.store({ content: 'x', level: 3, title: 'L3' }, owner);
    const other = await s.engine.store({ content: 'y', level: 3, title: 'other' }, owner);
    const m4 = await s.engine.store({ content: 'z', level: 4, title: 'L4' }, owner);
    await s.engine.recall({ memoryId: m3.id }, a);
    await s.engine.recall({ memoryId: m3.id }, a);
    expect(approvals.asked).toBe(1);
    await s.engine.recall({ memoryId: other.id }, a);
    expect(approvals.asked).toBe(2);
    await s.engine.recall({ memoryId: m4.id }, a);
    await s.engine.recall({ memoryId: m4.id }, a);
    expect(approvals.asked).toBe(4);
  });

  it('agent scope: level above the token is FORBIDDEN, other namespaces look absent', async () => {
    const s = await vault();
    const m2 = await s.engine.store({ content: 'private', level: 2, title: 'L2' }, owner);
    const m1 = await s.engine.store({ content: 'work', level: 1, title: 'L1', namespace: 'team-b' }, owner);
    expect(await codeOf(s.engine.recall({ memoryId: m2.id }, agent(1)))).toBe('FORBIDDEN');
    expect((await s.engine.recall({ memoryId: m2.id }, agent(2))).content.toString()).toBe('private');
    expect(await codeOf(s.engine.recall({ memoryId: m1.id }, agent(2, ['team-a'])))).toBe('NOT_FOUND');
    expect(await codeOf(s.engine.recall({ memoryId: m1.id }, agent(0)))).toBe('FORBIDDEN');
    expect(await codeOf(s.engine.store({ content: 'x', level: 2, title: 't' }, agent(1)))).toBe('FORBIDDEN');
    expect(await codeOf(s.engine.store({ content: 'x', level: 1, title: 't', namespace: 'team-b' }, agent(1, ['team-a'])))).toBe(
      'FORBIDDEN',
    );
  });
});
