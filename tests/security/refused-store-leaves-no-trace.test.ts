// Threat: an agent probes beyond its token — a level-4 store with a level-3 token, a store into
// a namespace it does not hold, a store during lockdown, an oversized or malformed store — and
// the audit log shows nothing, though every refusal is meant to be a leaf. Each refusal must be a
// refused `memory.store` leaf with the exact code, committed before the agent hears the answer,
// and carrying neither the content nor the title it tried to store. Over a real agent socket.
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { codeOf, startServerFixture, type ServerFixture } from '../agent-api/agent-fixture.js';

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const owner: Requester = { kind: 'owner', channel: 'cli' };
const TITLE = 'title-canary-7f3a';
const CONTENT = 'content-canary-91bc';

interface Leaf {
  readonly kind: string;
  readonly outcome: string;
  readonly code?: string;
  readonly actor: { readonly type: string; readonly id: string };
  readonly details?: Record<string, unknown>;
}

function storeLeaves(f: ServerFixture): { leaf: Leaf; json: string }[] {
  return f.session.engine.auditLog
    .list({ kind: 'memory.store', limit: 1000 })
    .map((r) => ({ leaf: JSON.parse(r.json) as Leaf, json: r.json }));
}

/** The refused leaves of one agent, checked to carry no plaintext and no title. */
function refusedBy(f: ServerFixture, agentId: string): Leaf[] {
  const mine = storeLeaves(f).filter(({ leaf }) => leaf.actor.id === agentId && leaf.outcome === 'refused');
  for (const { json } of mine) {
    expect(json).not.toContain(TITLE);
    expect(json).not.toContain(CONTENT);
  }
  return mine.map(({ leaf }) => leaf);
}

describe('a refused store is a leaf', () => {
  it('a level-4 store with a level-3 token → FORBIDDEN and a refused memory.store leaf with code FORBIDDEN', async () => {
    fx = await startServerFixture();
    const { client, id } = await fx.agent('level3', 3);
    expect(await codeOf(client.store({ content: CONTENT, level: 4, title: TITLE }))).toBe('FORBIDDEN');
    // Already committed when the agent heard FORBIDDEN: read straight after the answer.
    expect(refusedBy(fx, id)).toEqual([
      {
        kind: 'memory.store',
        outcome: 'refused',
        code: 'FORBIDDEN',
        actor: { type: 'agent', id },
        details: { level: 4, namespace: 'default' },
        reason: expect.any(String),
        seq: expect.any(Number),
        ts: expect.any(String),
        v: 1,
      },
    ]);
    expect(await client.list({})).toEqual([]);
  });

  it('a store into a namespace the token does not cover → FORBIDDEN and a refused leaf', async () => {
    fx = await startServerFixture();
    const { client, id } = await fx.agent('work-only', 3, ['work']);
    expect(await codeOf(client.store({ content: CONTENT, level: 1, title: TITLE, namespace: 'private' }))).toBe('FORBIDDEN');
    expect(refusedBy(fx, id)).toMatchObject([{ code: 'FORBIDDEN', details: { level: 1, namespace: 'private' } }]);
  });

  it('a store during lockdown → LOCKDOWN and a refused leaf', async () => {
    fx = await startServerFixture();
    const { client, id } = await fx.agent('locked-out', 3);
    await fx.session.engine.lockdownOn(owner, 'test');
    expect(await codeOf(client.store({ content: CONTENT, level: 1, title: TITLE }))).toBe('LOCKDOWN');
    expect(refusedBy(fx, id)).toMatchObject([{ code: 'LOCKDOWN', details: { level: 1 } }]);
  });

  it('oversized content and input the engine refuses → INVALID_INPUT and a refused leaf each', async () => {
    fx = await startServerFixture();
    const { client, id } = await fx.agent('sloppy', 3);
    // 600,000 two-byte characters: within the socket's character limit, over the engine's 1 MiB.
    const big = `${CONTENT}${'é'.repeat(600_000)}`;
    expect(await codeOf(client.store({ content: big, level: 1, title: TITLE }))).toBe('INVALID_INPUT');
    // ttlSeconds belongs to level 0 only: the socket schema passes it, the engine refuses it.
    expect(await codeOf(client.store({ content: CONTENT, level: 1, title: TITLE, ttlSeconds: 60 }))).toBe('INVALID_INPUT');
    // A title with a bidi override reaches the engine, which refuses names that could mislead the owner.
    expect(await codeOf(client.store({ content: CONTENT, level: 1, title: `${TITLE}\u202e` }))).toBe('INVALID_INPUT');
    expect(refusedBy(fx, id)).toMatchObject([
      { code: 'INVALID_INPUT', details: { level: 1, size: 1_200_000 + CONTENT.length } },
      { code: 'INVALID_INPUT', details: { fields: ['ttlSeconds'] } },
      { code: 'INVALID_INPUT', details: { fields: ['title'] } },
    ]);
  });

  it('accepted stores keep their single ok leaf; refusals add exactly one leaf each', async () => {
    fx = await startServerFixture();
    const { client, id } = await fx.agent('mixed', 2);
    await client.store({ content: CONTENT, level: 2, title: TITLE });
    expect(await codeOf(client.store({ content: CONTENT, level: 3, title: TITLE }))).toBe('FORBIDDEN');
    const mine = storeLeaves(fx)
      .filter(({ leaf }) => leaf.actor.id === id)
      .map(({ leaf }) => `${leaf.outcome}:${leaf.code ?? ''}`);
    expect(mine).toEqual(['ok:', 'refused:FORBIDDEN']);
  });
});
