// Agent-OS governance against the fake daemon on a real Unix socket: verify_agent for unknown
// agents, request_permission before sensitive actions, decisions in the audit log, fail closed.
import { afterEach, describe, expect, it } from 'vitest';
import { saveBoundaryConfig } from '../../src/core/integrations/boundary/boundary-config.js';
import { governanceFor } from '../../src/node/integrations/governance.js';
import { newVault } from '../support/vault-fixture.js';
import { startFakeDaemon } from './support/fake-boundary-daemon.js';

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

describe('governance client', () => {
  it('verifies unknown agents once, asks permission, audits decisions and fails closed', async () => {
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
    saveBoundaryConfig(s.repo, { daemon: daemon.socketPath, airgap: false, onlineMaxLevel: 3 });
    const gov = governanceFor(s);

    expect(await gov.status()).toMatchObject({ configured: true, reachable: true, mode: 'ONLINE' });
    expect(await gov.authorize({ agentId: 'agent-known', action: 'recall', memoryId: 'm1', level: 3 })).toMatchObject({
      permitted: true,
      command: 'request_permission',
    });
    expect(await gov.authorize({ agentId: 'agent-known', action: 'delete' })).toMatchObject({
      permitted: false,
      reason: 'constitution forbids delete',
    });
    expect(daemon.requests.filter((r) => r.command === 'verify_agent')).toHaveLength(1); // asked once per agent
    expect(await gov.authorize({ agentId: 'agent-stranger', action: 'recall' })).toMatchObject({
      permitted: false,
      command: 'verify_agent',
      reason: 'unknown agent',
    });

    daemon.behaviour = 'garbage';
    expect((await gov.requestPermission({ agentId: 'agent-known', action: 'recall' })).permitted).toBe(false);
    daemon.behaviour = 'normal';
    await daemon.kill();
    expect(await gov.requestPermission({ agentId: 'agent-known', action: 'recall' })).toMatchObject({ permitted: false });
    expect(await gov.status()).toMatchObject({ configured: true, reachable: false });

    const decisions = s.repo
      .queryAudit({ kind: 'governance.decision', limit: 100 })
      .map((r) => JSON.parse(r.json) as { outcome: string; actor: { id: string }; details: { command: string } });
    expect(decisions.map((d) => [d.details.command, d.outcome])).toEqual([
      ['verify_agent', 'ok'],
      ['request_permission', 'ok'],
      ['request_permission', 'refused'],
      ['verify_agent', 'refused'],
      ['request_permission', 'refused'],
      ['request_permission', 'refused'],
    ]);
  });

  it('is not in force without a daemon, and says so', async () => {
    const v = await newVault();
    cleanups.push(() => {
      v.session.close();
      v.remove();
    });
    saveBoundaryConfig(v.session.repo, { daemon: 'off', airgap: false, onlineMaxLevel: 3 });
    const gov = governanceFor(v.session);
    expect(await gov.status()).toMatchObject({ configured: false });
    expect(await gov.authorize({ agentId: 'a', action: 'recall' })).toMatchObject({ permitted: true, consulted: false });
    expect(v.session.repo.queryAudit({ kind: 'governance.decision', limit: 10 })).toHaveLength(0);
  });
});
