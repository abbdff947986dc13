import { describe, expect, it } from 'vitest';
import { isVaultError } from '../errors.js';
import type { MemoryRow } from '../model/memory.js';
import type { Requester } from '../model/requester.js';
import type { MemoryFilter } from '../ports/vault-repository.port.js';
import { resolveMemoryRef, type MemoryLookup } from './memory-ref-resolver.js';
import { parseMemoryRef } from './memory-ref.js';
import { memoryRowFixture } from '../testing/memory-row.fixture.js';

const row = (id: string, namespace: string, title: string, level: 0 | 1 | 2 | 3 | 4 | 5 = 1): MemoryRow =>
  memoryRowFixture({ id, namespace, title, level });

// Two ids share their first 8 hex digits (and 10), as random UUIDs eventually will.
const rows = [
  row('3fa2c1d0-aaaa-4000-8000-000000000001', 'ops', 'db'),
  row('3fa2c1d0-aabb-4000-8000-000000000002', 'ops', 'api'),
  row('3fa2c1d0-cccc-4000-8000-000000000003', 'web', 'db'),
  row('77777777-0000-4000-8000-000000000004', 'ops', 'sealed', 4),
];
const lookup: MemoryLookup = {
  getMemory: (id) => rows.find((r) => r.id === id),
  findMemoryByShortId: (short) => rows.filter((r) => r.id.startsWith(`${short}-`)),
  listMemories: (f: MemoryFilter) =>
    rows
      .filter((r) => f.levels.includes(r.level) && (f.namespaces === null || f.namespaces.includes(r.namespace)))
      .slice(f.offset, f.offset + f.limit),
};
const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent: Requester = { kind: 'agent', agentId: 'a', name: 'a', maxLevel: 2, namespaces: ['ops'] };

const resolve = (text: string, who: Requester = owner): string => {
  try {
    return resolveMemoryRef(lookup, parseMemoryRef(text), who).id;
  } catch (e) {
    return isVaultError(e) ? e.code : 'THROWN';
  }
};

describe('resolveMemoryRef', () => {
  it('resolves a unique prefix within the namespace, refuses an ambiguous one with REFERENCE_AMBIGUOUS', () => {
    expect(resolve('mv://ops/3fa2c1d0')).toBe('REFERENCE_AMBIGUOUS');
    expect(resolve('mv://ops/3fa2c1d0aa')).toBe('REFERENCE_AMBIGUOUS');
    expect(resolve('mv://ops/3fa2c1d0aaaa')).toBe('3fa2c1d0-aaaa-4000-8000-000000000001');
    // The same prefix in another namespace is another set: one match there.
    expect(resolve('mv://web/3fa2c1d0')).toBe('3fa2c1d0-cccc-4000-8000-000000000003');
  });

  it('a full id resolves only in its own namespace', () => {
    expect(resolve('mv://ops/3fa2c1d0-aabb-4000-8000-000000000002')).toBe('3fa2c1d0-aabb-4000-8000-000000000002');
    expect(resolve('mv://web/3fa2c1d0-aabb-4000-8000-000000000002')).toBe('NOT_FOUND');
    expect(resolve('mv://ops/00000000')).toBe('NOT_FOUND');
  });

  it('an agent outside the namespace, or asking by title above its level, gets NOT_FOUND like a reference to nothing', () => {
    expect(resolve('mv://web/3fa2c1d0', agent)).toBe('NOT_FOUND');
    expect(resolve('mv://ops/by-title/sealed', agent)).toBe('NOT_FOUND');
    expect(resolve('mv://ops/by-title/sealed', owner)).toBe('77777777-0000-4000-8000-000000000004');
    expect(resolve('mv://ops/by-title/db', agent)).toBe('3fa2c1d0-aaaa-4000-8000-000000000001');
  });
});
