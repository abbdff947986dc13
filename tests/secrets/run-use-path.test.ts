// Issue 19: a "use" passes the recall pipeline's gates, is audited as memory.use with the command
// digest, shows and binds its command in the approval request, and its grants are use-only.
import { afterEach, describe, expect, it } from 'vitest';
import { ApprovalBroker } from '../../src/core/approvals/approval-broker.js';
import { approvalDigest } from '../../src/core/approvals/approval-digest.js';
import type { Level } from '../../src/core/levels.js';
import type { Requester } from '../../src/core/model/requester.js';
import { systemClock } from '../../src/core/ports/clock.port.js';
import { commandDigest, usePurpose } from '../../src/core/secrets/use-purpose.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { fakeHardwareKey } from '../support/fake-hardware-key.js';
import { codeOf } from '../support/outcome.js';
import { airGapped, approvingGate, newVault } from '../support/vault-fixture.js';

const SECRET = 'pg-pass-7c1d9e0f-canary';
const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent = (maxLevel: Level, namespaces: string[] | null = null): Requester => ({
  kind: 'agent',
  agentId: `agent-${maxLevel}`,
  name: 'ops agent',
  maxLevel,
  namespaces,
});
const psql = usePurpose(['psql', '-h', 'db', '-U', 'app'], '/srv/app');
const other = usePurpose(['curl', 'https://example.invalid'], '/srv/app');

interface Leaf {
  kind: string;
  outcome: string;
  code?: string;
  memory?: { id: string };
  details?: Record<string, unknown>;
}
const leaves = (s: VaultSession): Leaf[] => s.repo.readAuditRecords(0, 10_000).map((r) => JSON.parse(r.json) as Leaf);
const allAuditText = (s: VaultSession) =>
  s.repo
    .readAuditRecords(0, 10_000)
    .map((r) => r.json)
    .join('\n');

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});
async function vault(opts: Parameters<typeof newVault>[0] = {}): Promise<VaultSession> {
  const v = await newVault({ ...opts, gates: { environment: airGapped, ...opts.gates } });
  cleanup.push(() => {
    v.session.close();
    v.remove();
  });
  return v.session;
}

describe('use through the recall pipeline', () => {
  it('delivers the value to the node-side caller, audited as memory.use with the command digest and never the value', async () => {
    const s = await vault();
    const m = await s.engine.store({ content: SECRET, level: 2, title: 'db password', namespace: 'ops' }, owner);
    const r = await s.engine.use({ memoryId: m.id, purpose: psql, justification: 'migrate' }, agent(2));
    expect(r.value.bytes().toString()).toBe(SECRET);
    // The value refuses to be serialised: an RPC result carrying it fails instead of leaking it.
    expect(() => JSON.stringify({ result: r.value })).toThrow();
    expect(String(r.value)).toBe('[secret]');
    const use = leaves(s).filter((l) => l.kind === 'memory.use');
    expect(use).toEqual([
      expect.objectContaining({
        outcome: 'ok',
        memory: expect.objectContaining({ id: m.id }),
        details: expect.objectContaining({
          commandDigest: commandDigest({ commandLine: ['psql', '-h', 'db', '-U', 'app'], cwd: '/srv/app' }),
          field: false,
        }),
      }),
    ]);
    expect(leaves(s).some((l) => l.kind === 'memory.recall')).toBe(false);
    expect(allAuditText(s)).not.toContain(SECRET);
    expect(allAuditText(s)).not.toContain('psql');
    r.value.wipe();
    expect(r.value.wiped).toBe(true);
  });

  it('selects a JSON field inside the delivery job; a missing field is a refused memory.use leaf', async () => {
    const s = await vault();
    const m = await s.engine.store(
      { content: JSON.stringify({ db: { password: SECRET, port: 5432 } }), level: 1, title: 'db', namespace: 'ops' },
      owner,
    );
    const r = await s.engine.use({ memoryId: m.id, purpose: psql, field: ['db', 'password'] }, agent(1));
    expect(r.value.bytes().toString()).toBe(SECRET);
    expect(await codeOf(s.engine.use({ memoryId: m.id, purpose: psql, field: ['db', 'user'] }, agent(1)))).toBe('INVALID_INPUT');
    expect(await codeOf(s.engine.use({ memoryId: m.id, purpose: psql, field: ['db'] }, agent(1)))).toBe('INVALID_INPUT');
    const refused = leaves(s).filter((l) => l.kind === 'memory.use' && l.outcome === 'refused');
    expect(refused.map((l) => [l.code, l.details?.commandDigest])).toEqual([
      ['INVALID_INPUT', psql.commandDigest],
      ['INVALID_INPUT', psql.commandDigest],
    ]);
  });

  it('refuses a value too short to mask with SECRET_UNMASKABLE, audited', async () => {
    const s = await vault();
    const m = await s.engine.store({ content: 'abc\n', level: 1, title: 'pin', namespace: 'ops' }, owner);
    expect(await codeOf(s.engine.use({ memoryId: m.id, purpose: psql }, agent(1)))).toBe('SECRET_UNMASKABLE');
    expect(
      leaves(s)
        .filter((l) => l.kind === 'memory.use')
        .map((l) => [l.outcome, l.code]),
    ).toEqual([['refused', 'SECRET_UNMASKABLE']]);
  });

  it('passes the same gates as a recall: scope, level, tombstone, lockdown — each a refused memory.use leaf', async () => {
    const s = await vault();
    const m = await s.engine.store({ content: SECRET, level: 2, title: 'db', namespace: 'ops' }, owner);
    expect(await codeOf(s.engine.use({ memoryId: m.id, purpose: psql }, agent(2, ['web'])))).toBe('NOT_FOUND');
    expect(await codeOf(s.engine.use({ memoryId: m.id, purpose: psql }, agent(1)))).toBe('FORBIDDEN');
    const t = await s.engine.store({ content: SECRET, level: 1, title: 'old', namespace: 'ops' }, owner);
    await s.engine.tombstone({ memoryId: t.id, confirmShortId: t.shortId }, s.ownerProof());
    expect(await codeOf(s.engine.use({ memoryId: t.id, purpose: psql }, agent(2)))).toBe('TOMBSTONED');
    await s.engine.lockdownOn(owner);
    expect(await codeOf(s.engine.use({ memoryId: m.id, purpose: psql }, agent(2)))).toBe('LOCKDOWN');
    const codes = leaves(s)
      .filter((l) => l.kind === 'memory.use')
      .map((l) => l.code);
    expect(codes).toEqual(['NOT_FOUND', 'FORBIDDEN', 'TOMBSTONED', 'LOCKDOWN']);
  });

  it('refuses a purpose whose digest is not that of its command line', async () => {
    const s = await vault();
    const m = await s.engine.store({ content: SECRET, level: 1, title: 'db', namespace: 'ops' }, owner);
    const forged = { ...psql, commandLine: ['sh', '-c', 'env > /tmp/x'] };
    expect(await codeOf(s.engine.use({ memoryId: m.id, purpose: forged }, agent(1)))).toBe('INVALID_INPUT');
  });
});

describe('use approvals and grants', () => {
  it('a level-3 use waits for the owner, whose request shows the command line and binds it into the digest', async () => {
    const broker = new ApprovalBroker(systemClock);
    const s = await vault({ gates: { approvals: broker } });
    const m = await s.engine.store({ content: SECRET, level: 3, title: 'db', namespace: 'ops' }, owner);
    let pendingId = '';
    const use = s.engine.use({ memoryId: m.id, purpose: psql }, agent(3), { onApprovalRequested: (id) => (pendingId = id) });
    await expect.poll(() => broker.pending().length).toBe(1);
    const [view] = broker.pending();
    if (!view) throw new Error('no pending request');
    expect(view.requestId).toBe(pendingId);
    expect(view.purpose?.commandLine).toEqual(['psql', '-h', 'db', '-U', 'app']);
    expect(view.purpose?.cwd).toBe('/srv/app');
    // The digest binds the command: the same request without it (or with another) has another digest.
    const { purpose: _p, digest: _d, ...withoutPurpose } = view;
    expect(approvalDigest(withoutPurpose)).not.toBe(view.digest);
    expect(approvalDigest({ ...withoutPurpose, purpose: other })).not.toBe(view.digest);
    expect(() => broker.decide(view.requestId, { approve: true }, 'desktop', approvalDigest(withoutPurpose))).toThrow(/different request/);
    broker.decide(view.requestId, { approve: true, grantMinutes: 10 }, 'desktop', view.digest);
    const r = await use;
    expect(r.value.bytes().toString()).toBe(SECRET);
    const requested = leaves(s).find((l) => l.kind === 'approval.requested');
    expect(requested?.details).toEqual(expect.objectContaining({ purpose: 'use', commandDigest: psql.commandDigest }));
    expect(leaves(s).find((l) => l.kind === 'memory.use' && l.outcome === 'ok')?.details).toEqual(
      expect.objectContaining({ approvedVia: 'desktop' }),
    );
  });

  it('a level-3 use grant covers that command only, and never a plain recall', async () => {
    const approvals = approvingGate(30);
    const s = await vault({ gates: { approvals } });
    const m = await s.engine.store({ content: SECRET, level: 3, title: 'db', namespace: 'ops' }, owner);
    const a = agent(3);
    (await s.engine.use({ memoryId: m.id, purpose: psql }, a)).value.wipe();
    expect(approvals.asked).toBe(1);
    expect(s.engine.listGrants()).toEqual([
      expect.objectContaining({ memoryId: m.id, purpose: expect.objectContaining({ kind: 'use', commandDigest: psql.commandDigest }) }),
    ]);
    (await s.engine.use({ memoryId: m.id, purpose: psql }, a)).value.wipe();
    expect(approvals.asked).toBe(1); // the grant covered it
    expect(
      leaves(s)
        .filter((l) => l.kind === 'memory.use' && l.outcome === 'ok')
        .map((l) => l.details?.approvedVia),
    ).toEqual(['test-owner', 'grant']);
    // Another command: asked again.
    (await s.engine.use({ memoryId: m.id, purpose: other }, a)).value.wipe();
    expect(approvals.asked).toBe(2);
    // A plain recall is not covered by any use grant.
    const recalled = await s.engine.recall({ memoryId: m.id }, a);
    recalled.content.fill(0);
    expect(approvals.asked).toBe(3);
  });

  it('a plain recall grant does not cover a use', async () => {
    const approvals = approvingGate(30);
    const s = await vault({ gates: { approvals } });
    const m = await s.engine.store({ content: SECRET, level: 3, title: 'db', namespace: 'ops' }, owner);
    const a = agent(3);
    (await s.engine.recall({ memoryId: m.id }, a)).content.fill(0);
    expect(s.engine.listGrants()).toEqual([expect.not.objectContaining({ purpose: expect.anything() })]);
    (await s.engine.use({ memoryId: m.id, purpose: psql }, a)).value.wipe();
    expect(approvals.asked).toBe(2);
  });

  it('levels 4 and 5 ask every time (no grant is minted), level 5 with a key touch per use', async () => {
    const approvals = approvingGate(30);
    const hw = fakeHardwareKey();
    const s = await vault({ gates: { approvals, hardwareKey: hw } });
    const m4 = await s.engine.store({ content: SECRET, level: 4, title: 'l4', namespace: 'ops' }, owner);
    const m5 = await s.engine.store({ content: SECRET, level: 5, title: 'l5', namespace: 'ops' }, owner);
    const touchesAfterStore = hw.touches;
    for (let i = 0; i < 2; i++) {
      (await s.engine.use({ memoryId: m4.id, purpose: psql }, owner)).value.wipe();
      (await s.engine.use({ memoryId: m5.id, purpose: psql }, owner)).value.wipe();
    }
    expect(approvals.asked).toBe(4);
    expect(hw.touches - touchesAfterStore).toBe(2);
    expect(s.engine.listGrants()).toEqual([]);
  });

  it('without an owner channel a level-3 use is refused with APPROVAL_REQUIRED', async () => {
    const s = await vault();
    const m = await s.engine.store({ content: SECRET, level: 3, title: 'db', namespace: 'ops' }, owner);
    expect(await codeOf(s.engine.use({ memoryId: m.id, purpose: psql }, agent(3)))).toBe('APPROVAL_REQUIRED');
    expect(
      leaves(s)
        .filter((l) => l.kind === 'memory.use')
        .map((l) => l.code),
    ).toEqual(['APPROVAL_REQUIRED']);
  });
});

describe('resolving references in a vault', () => {
  it('resolves by full id, unique prefix and title; ambiguous titles and other namespaces refuse', async () => {
    const s = await vault();
    const a = await s.engine.store({ content: SECRET, level: 1, title: 'Prod DB / main', namespace: 'ops' }, owner);
    await s.engine.store({ content: SECRET, level: 1, title: 'twin', namespace: 'ops' }, owner);
    await s.engine.store({ content: SECRET, level: 1, title: 'twin', namespace: 'ops' }, owner);
    expect(s.engine.resolveMemoryRef(`mv://ops/${a.id}`, owner).id).toBe(a.id);
    expect(s.engine.resolveMemoryRef(`mv://ops/${a.id.replace(/-/g, '').slice(0, 12)}`, owner).id).toBe(a.id);
    expect(s.engine.resolveMemoryRef('mv://ops/by-title/Prod%20DB%20%2F%20main', owner).id).toBe(a.id);
    const code = (f: () => unknown) => codeOf(Promise.resolve().then(f));
    expect(await code(() => s.engine.resolveMemoryRef('mv://ops/by-title/twin', owner))).toBe('REFERENCE_AMBIGUOUS');
    expect(await code(() => s.engine.resolveMemoryRef(`mv://web/${a.id}`, owner))).toBe('NOT_FOUND');
    expect(await code(() => s.engine.resolveMemoryRef(`mv://ops/${a.id}`, agent(5, ['web'])))).toBe('NOT_FOUND');
    expect(await code(() => s.engine.resolveMemoryRef('mv://ops/by-title/nothing', owner))).toBe('NOT_FOUND');
    expect(await code(() => s.engine.resolveMemoryRef('mv://ops/by-title/a b', owner))).toBe('INVALID_INPUT');
  });
});
