// Helpers for rotation tests: deterministic memory contents, and checks that every memory
// recalls with its content.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { MemoryId } from '../../../src/core/model/memory.js';
import type { Requester } from '../../../src/core/model/requester.js';
import type { VaultSession } from '../../../src/node/vault/vault-session.js';

export const OWNER: Requester = { kind: 'owner', channel: 'cli' };

export function contentOf(i: number): string {
  return `memory ${i}: ${createHash('sha256').update(String(i)).digest('hex').repeat(4)}`;
}

/** Store `n` level-1/2 memories in one go; returns ids in order. */
export async function storeMany(session: VaultSession, n: number, level: 1 | 2 = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, (_, j) =>
        session.engine.store({ content: contentOf(i + j), level, title: `m${i + j}` }, OWNER),
      ),
    );
    ids.push(...batch.map((m) => m.id));
  }
  return ids;
}

export async function expectAllRecall(session: VaultSession, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 200) {
    const slice = ids.slice(i, i + 200);
    const got = await Promise.all(
      slice.map((id) => session.engine.recall({ memoryId: id as MemoryId, justification: 'rotation check' }, OWNER)),
    );
    got.forEach((r, j) => expect(r.content.toString('utf8')).toBe(contentOf(i + j)));
  }
}
