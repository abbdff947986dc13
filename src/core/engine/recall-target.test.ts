import { describe, expect, it } from 'vitest';
import type { MemoryRow } from '../model/memory.js';
import type { Requester } from '../model/requester.js';
import { InMemoryVaultRepository } from '../testing/in-memory-vault-repository.js';
import { memoryRowFixture } from '../testing/memory-row.fixture.js';
import { resolveRecallTarget } from './recall-target.js';

const row = (id: string, namespace: string, level: 1 | 4 = 1): MemoryRow => memoryRowFixture({ id, namespace, level });

const A = '3fa2b1c0-0000-4000-8000-000000000001';
const B = '3fa2b1c0-1111-4000-8000-000000000002'; // same short id as A, other namespace
const C = '9d000000-0000-4000-8000-000000000003';
const D = '9d000000-2222-4000-8000-000000000004'; // same short id as C, level 4
const repo = new InMemoryVaultRepository();
for (const [id, ns, level] of [
  [A, 'ops', 1],
  [B, 'home', 1],
  [C, 'ops', 1],
  [D, 'ops', 4],
] as const)
  repo.insertMemory(row(id, ns, level), { title: 't', tags: '', metadata: '', content: '' });
const agent = (namespaces: string[] | null, maxLevel: 3 | 5 = 5): Requester => ({
  kind: 'agent',
  agentId: 'a',
  name: 'a',
  maxLevel,
  namespaces,
});

describe('resolveRecallTarget', () => {
  it('takes a full id and the 8-digit short id list/search print', () => {
    expect(resolveRecallTarget(repo, C, agent(['ops']))?.id).toBe(C);
    expect(resolveRecallTarget(repo, '9d000000', agent(['ops'], 3))?.id).toBe(C);
    expect(resolveRecallTarget(repo, '9D000000', agent(['ops'], 3))?.id).toBe(C);
  });

  it("a twin above the agent's level is invisible to a prefix, as it is to a listing", () => {
    expect(resolveRecallTarget(repo, '9d000000', agent(['ops'], 3))?.id).toBe(C);
    expect(() => resolveRecallTarget(repo, '9d000000', agent(['ops'], 5))).toThrow(
      expect.objectContaining({ code: 'REFERENCE_AMBIGUOUS' }),
    );
  });

  it('matches a prefix only among memories the agent may list: a twin outside its namespaces is invisible', () => {
    expect(resolveRecallTarget(repo, '3fa2b1c0', agent(['ops']))?.id).toBe(A);
    expect(resolveRecallTarget(repo, '3fa2b1c0', agent(['home']))?.id).toBe(B);
    expect(resolveRecallTarget(repo, A, agent(['home']))).toBeUndefined();
  });

  it('a prefix naming two visible memories is REFERENCE_AMBIGUOUS; a longer prefix resolves', () => {
    expect(() => resolveRecallTarget(repo, '3fa2b1c0', agent(null))).toThrow(expect.objectContaining({ code: 'REFERENCE_AMBIGUOUS' }));
    expect(resolveRecallTarget(repo, '3fa2b1c01111', agent(null))?.id).toBe(B);
  });

  it('anything else is unknown (undefined → NOT_FOUND), never a lookup', () => {
    for (const junk of ['', '3fa2', 'zzzzzzzz', '../etc', `${A}x`]) expect(resolveRecallTarget(repo, junk, agent(null))).toBeUndefined();
  });
});
