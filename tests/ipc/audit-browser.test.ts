// The audit browser's listing over IPC (issue 15 item 7): newest first paged by beforeSeq, a time
// range, and agent names / memory titles resolved beside the ids.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditPageDto } from '../../src/shared/audit.contract.js';
import type { CreatedAgentDto } from '../../src/shared/agents.contract.js';
import { contracts } from '../../src/shared/contracts.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { harness, type Harness } from './ipc-fixture.js';

let now = Date.parse('2026-03-01T10:00:00Z');
const clock = { now: () => now };
let h: Harness;
beforeEach(async () => {
  now = Date.parse('2026-03-01T10:00:00Z');
  h = harness({ clock });
  await h.backend.create(TEST_PASSPHRASE);
});
afterEach(() => h.close());

async function page(args: Record<string, unknown>): Promise<AuditPageDto> {
  const r = await h.call(contracts.audit.list.channel, args);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as AuditPageDto;
}

describe('audit browser listing', () => {
  it('pages newest first with beforeSeq, and the pages join up to the whole log reversed', async () => {
    for (const t of ['a', 'b', 'c'])
      await h.backend.engine.store({ content: t, level: 1, title: t }, { kind: 'owner', channel: 'desktop' });
    const oldest = (await page({ limit: 100 })).events.map((e) => e.seq);
    const first = await page({ order: 'newest', limit: 2 });
    expect(first.nextAfterSeq).toBeNull();
    expect(first.nextBeforeSeq).toBe(first.events.at(-1)?.seq);
    const second = await page({ order: 'newest', beforeSeq: first.nextBeforeSeq, limit: 100 });
    expect(second.nextBeforeSeq).toBeNull();
    expect([...first.events, ...second.events].map((e) => e.seq)).toEqual([...oldest].reverse());
  });

  it('narrows to a time range (inclusive, epoch ms)', async () => {
    now = Date.parse('2026-03-02T10:00:00Z');
    await h.backend.engine.store({ content: 'x', level: 1, title: 'in range' }, { kind: 'owner', channel: 'desktop' });
    now = Date.parse('2026-03-05T10:00:00Z');
    await h.backend.engine.store({ content: 'y', level: 1, title: 'later' }, { kind: 'owner', channel: 'desktop' });
    const fromTs = Date.parse('2026-03-02T00:00:00Z');
    const toTs = Date.parse('2026-03-03T00:00:00Z');
    const inRange = await page({ filter: { fromTs, toTs }, limit: 100 });
    expect(inRange.events.map((e) => e.memoryTitle)).toEqual(['in range']);
    expect(inRange.events.every((e) => Date.parse(e.ts) >= fromTs && Date.parse(e.ts) <= toTs)).toBe(true);
  });

  it('names the agent and the memory beside their ids', async () => {
    const created = await h.call(contracts.agents.create.channel, { name: 'research-bot', maxLevel: 2 });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const agent = (created.value as CreatedAgentDto).agent;
    const m = await h.backend.engine.store({ content: 'notes', level: 1, title: 'Team notes' }, { kind: 'owner', channel: 'desktop' });
    await h.backend.engine.recall(
      { memoryId: m.id, justification: 'read' },
      { kind: 'agent', agentId: agent.id, name: agent.name, maxLevel: 2, namespaces: null },
    );
    const recall = (await page({ filter: { kind: 'memory.recall' }, limit: 10 })).events[0];
    expect(recall).toMatchObject({ actor: { type: 'agent', id: agent.id }, actorName: 'research-bot', memoryTitle: 'Team notes' });
    const init = (await page({ filter: { kind: 'vault.init' }, limit: 1 })).events[0];
    expect(init?.actorName).toBeUndefined();
  });
});
