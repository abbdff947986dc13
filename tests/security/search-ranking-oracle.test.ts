// Threat: search ranking as an oracle. All memories share one FTS5 index ordered by bm25, whose
// statistics (document count, average length, per-term document frequency) counted rows the
// agent cannot see: by watching its own results reorder, a max-level-1 agent learned whether a
// word appears in level-2 content, in other namespaces, and in level-3 titles, tags and metadata.
// Now an agent's results and their order depend only on rows within its levels and namespaces:
// two vaults that differ only in memories the agent cannot see must answer it identically.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OwnerProof } from '../../src/core/engine/vault-engine.js';
import type { MemoryId } from '../../src/core/model/memory.js';
import { shortIdOf } from '../../src/core/model/memory.js';
import type { Requester } from '../../src/core/model/requester.js';
import type { StoreInput } from '../../src/core/model/store-input.js';
import { initVault } from '../../src/node/composition/vault-sessions.js';
import { type VaultSession } from '../../src/node/vault/vault-session.js';

const OWNER: Requester = { kind: 'owner', channel: 'cli' };
const AGENT: Requester = { kind: 'agent', agentId: 'agent-probe', name: 'probe', maxLevel: 1, namespaces: ['work'] };
const CHEAP_KDF = { memLimitBytes: 8 * 1024 * 1024, opsLimit: 1 };

// What the agent may see: identical in both vaults, stored in the same order. Term frequencies
// and lengths differ so that the order hinges on corpus statistics: alpha is rarer than beta
// among these rows (3 vs 5 of 31), while unseen rows hold far more of both; gamma is in more than
// half of these rows (idf floored), which a count of unseen rows in N would change.
const VISIBLE: StoreInput[] = [
  { title: 'v-alpha-heavy', level: 0, namespace: 'work', content: 'alpha alpha alpha beta gamma' },
  { title: 'v-beta-heavy', level: 1, namespace: 'work', content: 'alpha beta beta beta gamma' },
  { title: 'v-gamma-heavy', level: 0, namespace: 'work', content: 'gamma gamma gamma gamma delta' },
  { title: 'v-delta-heavy', level: 1, namespace: 'work', content: 'gamma delta delta zeta zeta' },
  { title: 'v-long-gamma', level: 1, namespace: 'work', content: `gamma gamma ${'filler '.repeat(40)}delta` },
  { title: 'v-short-gamma', level: 0, namespace: 'work', content: 'gamma delta' },
  { title: 'v-tagged', level: 1, namespace: 'work', content: 'plain words', tags: ['beta', 'delta'] },
  { title: 'v-meta', level: 0, namespace: 'work', content: 'beta', metadata: { topic: 'gamma delta' } },
  { title: 'alpha in title', level: 1, namespace: 'work', content: 'beta delta epsilon' },
  ...Array.from({ length: 20 }, (_, i): StoreInput => ({
    title: `v-filler-${i}`,
    level: i % 2 === 0 ? 0 : 1,
    namespace: 'work',
    content: i < 10 ? `gamma common ${i}` : `common ${i}`,
  })),
];

// What the agent may not see: many rows so bm25's N, avgdl and document frequencies shift.
function hidden(): StoreInput[] {
  const out: StoreInput[] = [];
  for (let i = 0; i < 40; i++) {
    out.push({ title: `h2-${i}`, level: 2, namespace: 'work', content: `alpha alpha alpha ${'pad '.repeat(i)}` });
    out.push({ title: `other-${i}`, level: 0, namespace: 'other', content: `gamma ${'gamma '.repeat(i % 5)}beta ${'pad '.repeat(60)}` });
    out.push({
      title: `delta secret ${i}`,
      level: 3,
      namespace: 'work',
      content: 'alpha beta gamma delta (never indexed at level 3)',
      tags: ['alpha', 'epsilon'],
      metadata: { note: 'beta epsilon delta' },
    });
  }
  for (let i = 0; i < 10; i++) out.push({ title: `short-${i}`, level: 2, namespace: 'work', content: 'x' });
  return out;
}

const QUERIES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'alpha beta', 'beta gamma', 'gamma delta', 'alp', 'del', 'alpha gam'];

let root = '';
let plain: VaultSession;
let padded: VaultSession;

async function vault(name: string, extra: readonly StoreInput[], hiddenFirst: boolean): Promise<VaultSession> {
  const s = await initVault({
    dir: join(root, name),
    credentials: { kind: 'passphrase', passphrase: 'oracle test passphrase' },
    kdfCost: CHEAP_KDF,
  });
  // Interleaving hidden rows before and between the visible ones also shifts rowids: order must
  // not depend on them beyond the visible rows' own relative order.
  if (hiddenFirst) for (const m of extra.slice(0, extra.length / 2)) await s.engine.store(m, OWNER);
  for (const m of VISIBLE) await s.engine.store(m, OWNER);
  for (const m of hiddenFirst ? extra.slice(extra.length / 2) : extra) await s.engine.store(m, OWNER);
  return s;
}

async function titles(s: VaultSession, query: string, limit?: number): Promise<string[]> {
  const rows = await s.engine.search(limit === undefined ? { query } : { query, limit }, AGENT);
  return rows.map((r) => r.title);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mv-oracle-'));
  plain = await vault('plain', [], false);
  padded = await vault('padded', hidden(), true);
}, 120_000);

afterAll(() => {
  plain.close();
  padded.close();
  rmSync(root, { recursive: true, force: true });
});

describe('search ranking as an oracle for rows the agent cannot see', () => {
  it('gives a max-level-1, one-namespace agent the same ordered results with or without unseen rows', async () => {
    for (const q of QUERIES) {
      const expected = await titles(plain, q);
      // The probe is meaningful: every query finds something the agent may see.
      expect(expected.length, q).toBeGreaterThan(0);
      expect(await titles(padded, q), q).toEqual(expected);
    }
  });

  it('still ranks by relevance within the permitted set (term frequency, rarity, length)', async () => {
    // Three alphas in a short row beat one; newest-first tie-breaking alone would put 'alpha in title' first.
    expect((await titles(padded, 'alpha'))[0]).toBe('v-alpha-heavy');
    expect((await titles(padded, 'beta'))[0]).toBe('v-beta-heavy');
    // alpha is the rarer term among the permitted rows: three alphas beat three betas.
    expect((await titles(padded, 'alpha beta')).slice(0, 2)).toEqual(['v-alpha-heavy', 'v-beta-heavy']);
    // gamma is in most permitted rows (idf floored): delta decides, two deltas beat one.
    const gd = await titles(padded, 'gamma delta');
    expect(gd.indexOf('v-delta-heavy')).toBeLessThan(gd.indexOf('v-gamma-heavy'));
    // One gamma in a two-token row outranks two in a forty-token row.
    const gamma = await titles(padded, 'gamma');
    expect(gamma.indexOf('v-short-gamma')).toBeLessThan(gamma.indexOf('v-long-gamma'));
  });

  it('limits after filtering: a small limit gives the same prefix in both vaults, never fewer rows', async () => {
    for (const q of QUERIES) {
      const full = await titles(plain, q);
      for (const limit of [1, 2, 3]) {
        const expected = full.slice(0, limit);
        expect(await titles(plain, q, limit), `${q} / ${limit}`).toEqual(expected);
        expect(await titles(padded, q, limit), `${q} / ${limit}`).toEqual(expected);
      }
    }
  });

  it('never returns an unseen row to the agent, while the owner finds them (the hidden rows are really there)', async () => {
    const visible = new Set(VISIBLE.map((m) => m.title));
    for (const q of QUERIES) for (const t of await titles(padded, q, 500)) expect(visible.has(t), `${q}: ${t}`).toBe(true);
    const ownerTitles = (await padded.engine.search({ query: 'epsilon', limit: 500 }, OWNER)).map((r) => r.title);
    expect(ownerTitles.filter((t) => t.startsWith('delta secret')).length).toBe(40);
  });
});

describe('the permitted-set size the ranking reads (trigger-kept memory_counts)', () => {
  it('equals a full count per namespace and level after stores, tombstones and deletions', async () => {
    const s = await vault('counts', hidden().slice(0, 30), false);
    try {
      const proof: OwnerProof = s.ownerProof();
      const all = await s.engine.list({ limit: 1000 }, OWNER);
      for (const m of all.slice(0, 4)) await s.engine.tombstone({ memoryId: m.id, confirmShortId: shortIdOf(m.id) }, proof);
      s.repo.deleteMemories(all.slice(4, 7).map((m) => m.id as MemoryId));
      const db = s.database;
      const kept = db.prepare('SELECT namespace, level, live FROM memory_counts WHERE live > 0 ORDER BY namespace, level').all();
      const truth = db
        .prepare(
          'SELECT namespace, level, count(*) AS live FROM memories WHERE tombstoned_at IS NULL GROUP BY namespace, level ORDER BY namespace, level',
        )
        .all();
      expect(truth.length).toBeGreaterThan(1);
      expect(kept).toEqual(truth);
    } finally {
      s.close();
    }
  });
});
