// Cooldown, lockdown, tombstone and purge each refuse or remove exactly what they should,
// with an audit event per refusal.
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { decidingGate, newVault, reopen } from '../support/vault-fixture.js';
import { codeOf } from '../support/outcome.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent: Requester = { kind: 'agent', agentId: 'a1', name: 'agent one', maxLevel: 3, namespaces: null };

class FakeClock {
  t = Date.parse('2026-11-27T00:00:00Z');
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

function events(s: VaultSession) {
  return s.repo
    .readAuditRecords(0, 100_000)
    .map(
      (r) =>
        JSON.parse(r.json) as { kind: string; outcome: string; code?: string; memory?: { id: string }; details?: Record<string, unknown> },
    );
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

async function vault(clock?: FakeClock, extra: Parameters<typeof newVault>[0] = {}) {
  const v = await newVault({ ...(clock ? { clock } : {}), ...extra });
  cleanup.push(v.remove);
  cleanup.push(() => v.session.close());
  return v;
}

describe('cooldown', () => {
  it('refuses a second recall inside the interval, allows it after, and audits the refusal', async () => {
    const clock = new FakeClock();
    const { session: s } = await vault(clock);
    const m = await s.engine.store({ content: 'c', level: 1, title: 't', cooldownSeconds: 60 }, owner);
    const other = await s.engine.store({ content: 'd', level: 1, title: 'u' }, owner);
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, agent))).toBe('OK');
    clock.advance(30_000);
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, agent))).toBe('COOLDOWN');
    expect(await codeOf(s.engine.recall({ memoryId: other.id }, agent))).toBe('OK');
    expect(await codeOf(s.engine.recall({ memoryId: other.id }, agent))).toBe('OK');
    clock.advance(30_001);
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, agent))).toBe('OK');
    const refusals = events(s).filter((e) => e.outcome === 'refused');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ kind: 'memory.recall', code: 'COOLDOWN', memory: { id: m.id } });
  });
});

describe('cooldown under concurrency', () => {
  it('concurrent recalls of one cooling memory: exactly one is delivered', async () => {
    const { session: s } = await vault();
    const m = await s.engine.store({ content: 'once', level: 1, title: 't', cooldownSeconds: 3600 }, owner);
    const codes = await Promise.all(Array.from({ length: 5 }, () => codeOf(s.engine.recall({ memoryId: m.id }, agent))));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'COOLDOWN')).toHaveLength(4);
  });

  it('a refused recall does not start the cooldown', async () => {
    const { session: s } = await vault(undefined, { gates: { approvals: decidingGate('denied') } });
    const m = await s.engine.store({ content: 'x', level: 3, title: 't', cooldownSeconds: 3600 }, owner);
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, agent))).toBe('APPROVAL_DENIED');
    s.engine.setGates({ approvals: { requestApproval: () => Promise.resolve({ outcome: 'approved', channel: 'test' }) } });
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, agent))).toBe('OK');
  });
});

describe('lockdown', () => {
  it('a recall waiting for approval is refused if lockdown starts before the owner answers', async () => {
    let release: () => void = () => undefined;
    const gate = {
      requestApproval: () =>
        new Promise<{ outcome: 'approved'; channel: string }>((r) => (release = () => r({ outcome: 'approved', channel: 'test' }))),
    };
    const { session: s } = await vault(undefined, { gates: { approvals: gate } });
    const m = await s.engine.store({ content: 'held', level: 3, title: 't' }, owner);
    const pending = codeOf(s.engine.recall({ memoryId: m.id }, agent));
    await new Promise((r) => setTimeout(r, 50));
    await s.engine.lockdownOn(owner, 'incident');
    release();
    expect(await pending).toBe('LOCKDOWN');
  });

  it('refuses every recall while on, survives a restart, and lifting needs the owner proof', async () => {
    const { session: s, dir } = await vault();
    const m = await s.engine.store({ content: 'c', level: 0, title: 't' }, owner);
    await s.engine.lockdownOn(owner, 'test');
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('LOCKDOWN');
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, agent))).toBe('LOCKDOWN');
    expect(await codeOf(s.engine.store({ content: 'x', level: 1, title: 'y' }, agent))).toBe('LOCKDOWN');
    expect(await codeOf(s.engine.lockdownOn(agent))).toBe('FORBIDDEN');
    s.close();
    const s2 = await reopen(dir);
    cleanup.push(() => s2.close());
    expect(s2.engine.lockdownStatus().on).toBe(true);
    expect(await codeOf(s2.engine.recall({ memoryId: m.id }, owner))).toBe('LOCKDOWN');
    await s2.engine.lockdownOff(s2.ownerProof());
    expect(await codeOf(s2.engine.recall({ memoryId: m.id }, owner))).toBe('OK');
    const kinds = events(s2).map((e) => `${e.kind}:${e.code ?? ''}`);
    expect(kinds).toContain('lockdown.on:');
    expect(kinds).toContain('lockdown.off:');
    expect(kinds.filter((k) => k === 'memory.recall:LOCKDOWN')).toHaveLength(3);
  });

  // Changed on purpose (issue 13, deliverable 7): a burst from one agent suspends that agent, not the vault.
  it('a burst of denied recalls from one agent suspends that agent; the vault stays open', async () => {
    const suspended: { agentId: string; reason: string }[] = [];
    const agentSuspender = { suspend: (agentId: string, reason: string) => Promise.resolve(suspended.push({ agentId, reason }) > 0) };
    const { session: s } = await vault(undefined, {
      gates: { approvals: decidingGate('denied'), agentSuspender },
      config: { anomaly: { maxRefusals: 3, windowMs: 60_000 } },
    });
    const m = await s.engine.store({ content: 'c', level: 3, title: 't' }, owner);
    for (let i = 0; i < 3; i++) expect(await codeOf(s.engine.recall({ memoryId: m.id }, agent))).toBe('APPROVAL_DENIED');
    expect(suspended).toEqual([{ agentId: 'a1', reason: expect.stringContaining('3 refusals within 60 s') }]);
    expect(s.engine.lockdownStatus().on).toBe(false);
    expect(events(s).some((e) => e.kind === 'lockdown.on')).toBe(false);
  });

  it('a burst from an agent that cannot be suspended (no agent registry) fails closed into lockdown', async () => {
    const { session: s } = await vault(undefined, {
      gates: { approvals: decidingGate('denied') },
      config: { anomaly: { maxRefusals: 3, windowMs: 60_000 } },
    });
    const m = await s.engine.store({ content: 'c', level: 3, title: 't' }, owner);
    for (let i = 0; i < 3; i++) expect(await codeOf(s.engine.recall({ memoryId: m.id }, agent))).toBe('APPROVAL_DENIED');
    expect(s.engine.lockdownStatus()).toMatchObject({ on: true, by: 'anomaly' });
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, agent))).toBe('LOCKDOWN');
    expect(events(s).some((e) => e.kind === 'lockdown.on')).toBe(true);
  });

  it('a burst of refusals from the owner trips lockdown', async () => {
    const { session: s } = await vault(undefined, {
      gates: { approvals: decidingGate('denied'), agentSuspender: { suspend: () => Promise.resolve(true) } },
      config: { anomaly: { maxRefusals: 3, windowMs: 60_000 } },
    });
    const m = await s.engine.store({ content: 'c', level: 3, title: 't' }, owner);
    for (let i = 0; i < 3; i++) expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('APPROVAL_DENIED');
    expect(s.engine.lockdownStatus()).toMatchObject({ on: true, by: 'anomaly' });
  });
});

describe('tombstone', () => {
  it('refuses a wrong confirmation, then makes the memory unrecallable while keeping its metadata', async () => {
    const { session: s } = await vault();
    const m = await s.engine.store({ content: 'to forget', level: 1, title: 'gone soon' }, owner);
    const keep = await s.engine.store({ content: 'to keep', level: 1, title: 'stays' }, owner);
    expect(await codeOf(s.engine.tombstone({ memoryId: m.id, confirmShortId: keep.shortId }, s.ownerProof()))).toBe('INVALID_INPUT');
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('OK');
    const t = await s.engine.tombstone({ memoryId: m.shortId, confirmShortId: m.shortId.toUpperCase() }, s.ownerProof());
    expect(t.tombstoned).toBe(true);
    expect(await codeOf(s.engine.recall({ memoryId: m.id }, owner))).toBe('TOMBSTONED');
    expect(await codeOf(s.engine.recall({ memoryId: keep.id }, owner))).toBe('OK');
    // Crypto-shredded: nothing left to decrypt, and gone from search; metadata still listed for audit.
    const row = s.repo.getMemory(m.id);
    expect(row?.wrappedDek).toBeNull();
    expect(row?.ciphertext).toBeNull();
    expect(await s.engine.search({ query: 'gone soon' }, owner)).toHaveLength(0);
    expect((await s.engine.list({ includeTombstoned: true }, owner)).map((x) => x.id)).toContain(m.id);
    expect((await s.engine.list({}, owner)).map((x) => x.id)).not.toContain(m.id);
    const ev = events(s);
    expect(ev.filter((e) => e.kind === 'memory.tombstone')).toHaveLength(1);
    expect(ev.some((e) => e.code === 'TOMBSTONED' && e.memory?.id === m.id)).toBe(true);
  });
});

describe('purge', () => {
  it('deletes exactly the expired level-0 memories, on demand and at start-up', async () => {
    const clock = new FakeClock();
    const { session: s, dir } = await vault(clock);
    const short = await s.engine.store({ content: 'a', level: 0, title: 'short', ttlSeconds: 10 }, owner);
    const long = await s.engine.store({ content: 'b', level: 0, title: 'long' }, owner); // default 24 h
    const durable = await s.engine.store({ content: 'c', level: 1, title: 'durable' }, owner);
    clock.advance(11_000);
    expect(await s.engine.purgeExpired()).toEqual({ purged: 1 });
    expect(await codeOf(s.engine.recall({ memoryId: short.id }, owner))).toBe('NOT_FOUND');
    expect(await codeOf(s.engine.recall({ memoryId: long.id }, owner))).toBe('OK');
    expect(events(s).find((e) => e.kind === 'memory.purge')?.details).toMatchObject({ count: 1, memoryIds: [short.id] });
    s.close();
    clock.advance(24 * 3600 * 1000);
    const s2 = await reopen(dir, { clock });
    cleanup.push(() => s2.close());
    expect(await codeOf(s2.engine.recall({ memoryId: long.id }, owner))).toBe('NOT_FOUND');
    expect(await codeOf(s2.engine.recall({ memoryId: durable.id }, owner))).toBe('OK');
  });

  it('rejects a TTL on levels above 0', async () => {
    const { session: s } = await vault();
    expect(await codeOf(s.engine.store({ content: 'a', level: 1, title: 't', ttlSeconds: 5 }, owner))).toBe('INVALID_INPUT');
  });
});

describe('search', () => {
  it('indexes metadata for every level but content only for levels 0-2', async () => {
    const { session: s } = await vault();
    await s.engine.store({ content: 'zebra lowcontent', level: 2, title: 'alpha' }, owner);
    await s.engine.store({ content: 'giraffe highcontent', level: 3, title: 'bravo', tags: ['sealedtag'] }, owner);
    expect((await s.engine.search({ query: 'zebra' }, owner)).map((m) => m.title)).toEqual(['alpha']);
    expect(await s.engine.search({ query: 'giraffe' }, owner)).toHaveLength(0);
    expect((await s.engine.search({ query: 'bravo' }, owner)).map((m) => m.level)).toEqual([3]);
    expect((await s.engine.search({ query: 'sealedtag' }, owner)).map((m) => m.title)).toEqual(['bravo']);
    const scoped: Requester = { kind: 'agent', agentId: 'a', name: 'a', maxLevel: 2, namespaces: null };
    expect(await s.engine.search({ query: 'bravo' }, scoped)).toHaveLength(0);
    expect(await s.engine.search({ query: 'NEAR( "' }, owner)).toEqual([]);
  });
});
