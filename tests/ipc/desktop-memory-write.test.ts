// The owner's memory writes through the handlers on a real (SQLite) vault: a store as the owner
// with every field, a refused store (TTL above level 0) that is audited, and a label edit that
// search follows and whose leaf names the fields only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contracts } from '../../src/shared/contracts.js';
import type { MemorySummaryDto } from '../../src/shared/memory.dto.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { harness, type Harness } from './ipc-fixture.js';

let h: Harness;
beforeEach(async () => {
  h = harness();
  expect(await h.call(contracts.vault.create.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } })).toMatchObject({
    ok: true,
  });
});
afterEach(() => h.close());

function value<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const leavesOf = (kind: string) =>
  h.backend.engine.auditLog.list({ kind, limit: 100 }).map((r) => JSON.parse(r.json) as Record<string, unknown>);

describe('memories:store and memories:edit-labels', () => {
  it('stores as the owner with level, namespace, tags, metadata, cooldown and TTL; the leaf is the owner’s', async () => {
    const m = value<MemorySummaryDto>(
      await h.call(contracts.memoryWrite.store.channel, {
        content: 'scratch note',
        level: 0,
        title: 'Scratch',
        namespace: 'infra',
        tags: ['tmp', 'ops'],
        metadata: { ticket: 'OPS-7', priority: 2 },
        cooldownSeconds: 30,
        ttlSeconds: 3600,
      }),
    );
    expect(m).toMatchObject({
      level: 0,
      namespace: 'infra',
      tags: ['tmp', 'ops'],
      metadata: { ticket: 'OPS-7', priority: 2 },
      cooldownSeconds: 30,
    });
    expect(m.createdBy).toBe('owner:desktop');
    expect(Date.parse(m.expiresAt ?? '') - Date.parse(m.createdAt)).toBe(3600_000);
    expect(leavesOf('memory.store').at(-1)).toMatchObject({ outcome: 'ok', actor: { type: 'owner', id: 'desktop' } });
    expect(JSON.stringify(leavesOf('memory.store'))).not.toContain('scratch note');
  });

  it('a TTL above level 0 is refused by the engine with INVALID_INPUT, and the refusal is a leaf', async () => {
    const r = await h.call(contracts.memoryWrite.store.channel, { content: 'x', level: 2, title: 'T', ttlSeconds: 60 });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(leavesOf('memory.store').at(-1)).toMatchObject({ outcome: 'refused', code: 'INVALID_INPUT' });
  });

  it('edits labels: describe and search follow, the leaf names the fields, level 3 content stays sealed', async () => {
    const m = value<MemorySummaryDto>(
      await h.call(contracts.memoryWrite.store.channel, { content: 'pin 1234', level: 3, title: 'Door code', tags: ['home'] }),
    );
    const edited = value<MemorySummaryDto>(
      await h.call(contracts.memoryWrite.editLabels.channel, { memoryId: m.id, tags: ['home', 'garage'], metadata: { floor: 'ground' } }),
    );
    expect(edited).toMatchObject({ title: 'Door code', tags: ['home', 'garage'], metadata: { floor: 'ground' }, level: 3 });
    expect(value<MemorySummaryDto[]>(await h.call(contracts.memories.search.channel, { query: 'garage' })).map((s) => s.id)).toEqual([
      m.id,
    ]);
    expect(value<MemorySummaryDto[]>(await h.call(contracts.memories.search.channel, { query: '1234' }))).toEqual([]);
    const leaf = leavesOf('memory.edit').at(-1);
    expect(leaf).toMatchObject({ outcome: 'ok', actor: { type: 'owner', id: 'desktop' }, details: { fields: ['tags', 'metadata'] } });
    expect(JSON.stringify(leaf)).not.toMatch(/garage|ground/);
    const revealed = value<{ content: string }>(
      await h.call(contracts.memories.reveal.channel, { memoryId: m.id, credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } }),
    );
    expect(revealed.content).toBe('pin 1234');
  });
});
