import { describe, expect, it } from 'vitest';
import { GrantStore, type Grant } from './grant-store.js';

const agent = (id: string) => ({ type: 'agent' as const, id, name: id });
const grant = (holder: string, memoryId: string, expiresAt: number): Omit<Grant, 'grantId'> => ({
  holder: agent(holder),
  memoryId,
  level: 3,
  grantedAt: 0,
  expiresAt,
  grantedVia: 'terminal',
});

describe('GrantStore', () => {
  it('mints nothing while lockdown is on', () => {
    let locked = true;
    const store = new GrantStore(() => locked);
    expect(store.mint(grant('a', 'm1', 1_000))).toBeNull();
    expect(store.list(0)).toEqual([]);
    locked = false;
    expect(store.mint(grant('a', 'm1', 1_000))).not.toBeNull();
    expect(store.find({ type: 'agent', id: 'a' }, 'm1', 0)?.memoryId).toBe('m1');
  });

  it('finds a grant only for its holder and memory, and drops it once expired', () => {
    const store = new GrantStore(() => false);
    store.mint(grant('a', 'm1', 1_000));
    expect(store.find({ type: 'agent', id: 'b' }, 'm1', 0)).toBeUndefined();
    expect(store.find({ type: 'agent', id: 'a' }, 'm2', 0)).toBeUndefined();
    expect(store.find({ type: 'agent', id: 'a' }, 'm1', 1_000)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('lists live grants soonest first and removes what a predicate selects', () => {
    const store = new GrantStore(() => false);
    store.mint(grant('a', 'm1', 3_000));
    store.mint(grant('b', 'm1', 2_000));
    store.mint(grant('a', 'm2', 500));
    expect(store.list(1_000).map((g) => `${g.holder.id}/${g.memoryId}`)).toEqual(['b/m1', 'a/m1']);
    const removed = store.removeWhere((g) => g.holder.id === 'a');
    expect(removed.map((g) => g.memoryId)).toEqual(['m1']);
    expect(store.list(1_000).map((g) => g.holder.id)).toEqual(['b']);
  });
});
