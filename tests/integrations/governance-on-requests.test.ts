// Issue 16: the Agent-OS governance daemon was asked only by `governance check`, never on agent
// requests, and `memory_class` went out as null. With the owner's `governance enforce on`, every
// agent recall, use and store asks it first (verify_agent once, then request_permission with the
// memory's id and class), fails closed, and each question is a governance.decision leaf.
import { afterEach, describe, expect, it } from 'vitest';
import { saveBoundaryConfig } from '../../src/core/integrations/boundary/boundary-config.js';
import type { Requester } from '../../src/core/model/requester.js';
import { changeBoundaryConfig } from '../../src/node/integrations/boundary-settings.js';
import { governanceGate } from '../../src/node/integrations/governance-gate.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { newVault } from '../support/vault-fixture.js';
import { startFakeDaemon, type FakeDaemon } from './support/fake-boundary-daemon.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent = (agentId: string): Requester => ({ kind: 'agent', agentId, name: agentId, maxLevel: 5, namespaces: null });

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(): Promise<{ s: VaultSession; daemon: FakeDaemon }> {
  const daemon = await startFakeDaemon();
  const v = await newVault();
  cleanups.push(
    () => daemon.cleanup(),
    () => {
      v.session.close();
      v.remove();
    },
  );
  const s = v.session;
  // What the owner-session composition wires for every surface (compose-owner-session.ts).
  s.engine.setGates({ governance: governanceGate(s) });
  saveBoundaryConfig(s.repo, { daemon: daemon.socketPath, airgap: false, onlineMaxLevel: 3 });
  return { s, daemon };
}

async function codeAndDetails(p: Promise<unknown>): Promise<{ code: string; details: unknown }> {
  try {
    await p;
    return { code: 'OK', details: null };
  } catch (e) {
    const err = e as { code?: string; details?: unknown };
    return { code: String(err.code), details: err.details };
  }
}

function decisions(s: VaultSession): [string, string][] {
  return s.repo
    .queryAudit({ kind: 'governance.decision', limit: 100 })
    .map((r) => JSON.parse(r.json) as { outcome: string; details: { command: string } })
    .map((d) => [d.details.command, d.outcome]);
}

describe('governance on agent requests', () => {
  it('is not asked until the owner enforces it', async () => {
    const { s, daemon } = await setup();
    const m = await s.engine.store({ content: 'notes', level: 1, title: 'notes' }, owner);
    await expect(s.engine.recall({ memoryId: m.id, justification: 'x' }, agent('agent-stranger'))).resolves.toMatchObject({
      memory: { id: m.id },
    });
    expect(daemon.requests.filter((r) => r.command === 'verify_agent' || r.command === 'request_permission')).toEqual([]);
  });

  it('enforced: verifies the agent, asks permission with memory_id and memory_class, refuses strangers and forbidden actions', async () => {
    const { s, daemon } = await setup();
    const m = await s.engine.store({ content: 'notes', level: 2, title: 'notes' }, owner);
    await changeBoundaryConfig(s.engine, { governance: 'enforce' }, { type: 'owner', id: 'cli' });

    // An agent the daemon does not know.
    expect(await codeAndDetails(s.engine.recall({ memoryId: m.id, justification: 'x' }, agent('agent-stranger')))).toEqual({
      code: 'BOUNDARY_DENIED',
      details: { authority: 'governance' },
    });
    // A known agent: verified once, then asked for each action with the memory's class.
    const known = agent('agent-known');
    const r = await s.engine.recall({ memoryId: m.id, justification: 'x' }, known);
    expect(r.content.toString('utf8')).toBe('notes');
    await s.engine.recall({ memoryId: m.id, justification: 'again' }, known);
    const asked = daemon.requests.filter((q) => q.command === 'request_permission');
    expect(asked.at(-1)?.params).toEqual({ agent_id: 'agent-known', action: 'recall', memory_id: m.id, memory_class: 2 });
    expect(daemon.requests.filter((q) => q.command === 'verify_agent' && q.params.agent_id === 'agent-known')).toHaveLength(1);

    // The constitution forbids stores: refused, with a refused memory.store leaf and nothing stored.
    daemon.deniedActions = new Set(['store']);
    const before = s.engine.status().memories[1];
    expect((await codeAndDetails(s.engine.store({ content: 'x', level: 1, title: 'from agent' }, known))).code).toBe('BOUNDARY_DENIED');
    expect(s.engine.status().memories[1]).toBe(before);
    const refusedStore = s.repo
      .queryAudit({ kind: 'memory.store', outcome: 'refused', limit: 5 })
      .map((x) => JSON.parse(x.json) as { code: string; reason: string });
    expect(refusedStore.at(-1)).toMatchObject({ code: 'BOUNDARY_DENIED', reason: expect.stringMatching(/constitution forbids store/) });

    expect(decisions(s)).toEqual([
      ['verify_agent', 'refused'],
      ['verify_agent', 'ok'],
      ['request_permission', 'ok'],
      ['request_permission', 'ok'],
      ['request_permission', 'refused'],
    ]);
    // The owner is never asked of.
    await expect(s.engine.recall({ memoryId: m.id, justification: 'owner' }, owner)).resolves.toBeDefined();
  });

  it('enforced fails closed: a dead daemon, or none configured, refuses every agent request', async () => {
    const { s, daemon } = await setup();
    const m = await s.engine.store({ content: 'notes', level: 1, title: 'notes' }, owner);
    await changeBoundaryConfig(s.engine, { governance: 'enforce' }, { type: 'owner', id: 'cli' });
    await daemon.kill();
    expect((await codeAndDetails(s.engine.recall({ memoryId: m.id, justification: 'x' }, agent('agent-known')))).code).toBe(
      'BOUNDARY_DENIED',
    );
    await changeBoundaryConfig(s.engine, { daemon: 'off' }, { type: 'owner', id: 'cli' });
    const none = await codeAndDetails(s.engine.recall({ memoryId: m.id, justification: 'x' }, agent('agent-known')));
    expect(none.code).toBe('BOUNDARY_DENIED');
    // The setting itself is on the record.
    const configs = s.repo.queryAudit({ kind: 'boundary.config', limit: 10 }).map((x) => JSON.parse(x.json) as { details: object });
    expect(configs.at(-1)?.details).toMatchObject({ governance: 'enforce', daemon: 'off' });
  });
});
