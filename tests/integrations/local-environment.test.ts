// The built-in environment gate: route-table parsing, online/offline/air-gap decisions, the
// owner's online policy, and the vault-configured gate choosing daemon or local detection.
import { changeBoundaryConfig } from '../../src/node/integrations/boundary-settings.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBoundaryConfig, saveBoundaryConfig } from '../../src/core/integrations/boundary/boundary-config.js';
import { LocalEnvironmentGate, type NetworkState } from '../../src/core/integrations/boundary/local-environment-gate.js';
import type { Requester } from '../../src/core/model/requester.js';
import { boundaryHealth } from '../../src/node/integrations/boundary-health.js';
import { ipv4DefaultRoutes, ipv6DefaultRoutes, SystemNetworkProbe } from '../../src/node/integrations/network-probe.js';
import { VaultBoundaryGate } from '../../src/node/integrations/vault-boundary-gate.js';
import { approvingGate, newVault } from '../support/vault-fixture.js';
import { startFakeDaemon } from './support/fake-boundary-daemon.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const ROUTE_HEADER = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT';
const ONLINE_ROUTES = `${ROUTE_HEADER}\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`;
const LAN_ONLY = `${ROUTE_HEADER}\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`;
const eth0 = {
  eth0: [
    {
      address: '192.0.2.5',
      netmask: '255.255.255.0',
      family: 'IPv4' as const,
      mac: '00:00:00:00:00:01',
      internal: false,
      cidr: '192.0.2.5/24',
    },
  ],
};
const loOnly = {
  lo: [
    { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' },
  ],
};

const fixed = (state: Partial<NetworkState>) => ({
  probe: () => Promise.resolve({ online: true, defaultRoutes: ['eth0'], interfaces: ['eth0'], method: 'test', ...state }),
});

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function routeFiles(v4: string): { routeFile: string; ipv6RouteFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mv-routes-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'route'), v4);
  writeFileSync(join(dir, 'ipv6_route'), '');
  return { routeFile: join(dir, 'route'), ipv6RouteFile: join(dir, 'ipv6_route') };
}

describe('network probe', () => {
  it('finds default routes in /proc/net/route and ::/0 in ipv6_route', () => {
    expect(ipv4DefaultRoutes(ONLINE_ROUTES)).toEqual(['eth0']);
    expect(ipv4DefaultRoutes(LAN_ONLY)).toEqual([]);
    const v6 =
      '00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 wlan0\n' +
      '00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo\n';
    expect(ipv6DefaultRoutes(v6)).toEqual(['wlan0']);
  });

  it('is online only with a default route on an interface that has an address', async () => {
    expect((await new SystemNetworkProbe({ ...routeFiles(ONLINE_ROUTES), interfaces: () => eth0 }).probe()).online).toBe(true);
    expect((await new SystemNetworkProbe({ ...routeFiles(LAN_ONLY), interfaces: () => eth0 }).probe()).online).toBe(false);
    expect((await new SystemNetworkProbe({ ...routeFiles(ONLINE_ROUTES), interfaces: () => loOnly }).probe()).online).toBe(false);
  });
});

describe('LocalEnvironmentGate', () => {
  it('refuses levels 4–5 online, allows them offline or with an owner-asserted air gap', async () => {
    const online = new LocalEnvironmentGate(fixed({}), () => ({ airgap: false, onlineMaxLevel: 3 }));
    expect(await online.check({ level: 3, memoryId: 'm' })).toMatchObject({ permitted: true, mode: 'ONLINE' });
    expect(await online.check({ level: 4, memoryId: 'm' })).toMatchObject({ permitted: false, mode: 'ONLINE' });
    const offline = new LocalEnvironmentGate(fixed({ online: false, defaultRoutes: [] }), () => ({ airgap: false, onlineMaxLevel: 3 }));
    expect(await offline.check({ level: 5, memoryId: 'm' })).toMatchObject({ permitted: true, mode: 'OFFLINE' });
    const airgap = new LocalEnvironmentGate(fixed({}), () => ({ airgap: true, onlineMaxLevel: 3 }));
    expect(await airgap.check({ level: 4, memoryId: 'm' })).toMatchObject({ permitted: true, mode: 'AIRGAP' });
  });

  it('follows the owner policy for online recalls, and treats an unreadable network as online', async () => {
    const lenient = new LocalEnvironmentGate(fixed({}), () => ({ airgap: false, onlineMaxLevel: 4 }));
    expect((await lenient.check({ level: 4, memoryId: 'm' })).permitted).toBe(true);
    expect((await lenient.check({ level: 5, memoryId: 'm' })).permitted).toBe(false);
    const strict = new LocalEnvironmentGate(fixed({}), () => ({ airgap: false, onlineMaxLevel: 2 }));
    expect((await strict.check({ level: 3, memoryId: 'm' })).permitted).toBe(false);
    const broken = new LocalEnvironmentGate({ probe: () => Promise.reject(new Error('no /proc')) }, () => ({
      airgap: false,
      onlineMaxLevel: 3,
    }));
    expect(await broken.check({ level: 4, memoryId: 'm' })).toMatchObject({ permitted: false, mode: 'ONLINE' });
  });
});

describe('VaultBoundaryGate (configuration stored in the vault)', () => {
  it('takes air-gap mode and the daemon socket from vault_state, and reports health', async () => {
    const gate = new VaultBoundaryGate({ probe: fixed({}) });
    const v = await newVault({ gates: { approvals: approvingGate(), environment: gate } });
    cleanups.push(() => {
      v.session.close();
      v.remove();
    });
    const s = v.session;
    gate.attach(s.repo);
    saveBoundaryConfig(s.repo, { daemon: 'off', airgap: false, onlineMaxLevel: 3 });
    const m = await s.engine.store({ content: 'level four', level: 4, title: 'L4' }, owner);
    await expect(s.engine.recall({ memoryId: m.id }, owner)).rejects.toMatchObject({ code: 'BOUNDARY_DENIED' });

    saveBoundaryConfig(s.repo, { ...loadBoundaryConfig(s.repo), airgap: true });
    expect((await s.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe('level four');

    // A configured daemon speaks for the environment; the air-gap assertion no longer applies.
    const daemon = await startFakeDaemon();
    cleanups.push(() => daemon.cleanup());
    saveBoundaryConfig(s.repo, { daemon: daemon.socketPath, airgap: true, onlineMaxLevel: 3 });
    await expect(s.engine.recall({ memoryId: m.id }, owner)).rejects.toMatchObject({ code: 'BOUNDARY_DENIED' });
    daemon.mode = 'AIRGAP';
    expect((await s.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe('level four');

    const health = await boundaryHealth(loadBoundaryConfig(s.repo));
    expect(health).toMatchObject({ ok: true, provider: 'daemon', daemon: { reachable: true, mode: 'AIRGAP' }, releasesUpTo: 4 });
    await daemon.kill();
    const dead = await boundaryHealth(loadBoundaryConfig(s.repo));
    expect(dead).toMatchObject({ ok: false, provider: 'daemon', releasesUpTo: 2 });
    expect(dead.problems.join(' ')).toMatch(/does not answer/);
  });

  it('external model access on (reference §7): levels 3–5 refused to agents even air-gapped; the owner still reads; audited', async () => {
    const gate = new VaultBoundaryGate({ probe: fixed({ online: false }) });
    const v = await newVault({ gates: { approvals: approvingGate(), environment: gate } });
    cleanups.push(() => {
      v.session.close();
      v.remove();
    });
    const s = v.session;
    gate.attach(s.repo);
    await changeBoundaryConfig(s.engine, { daemon: 'off', airgap: true }, { type: 'owner', id: 'cli' });
    const agent: Requester = { kind: 'agent', agentId: 'a1', name: 'bot', maxLevel: 5, namespaces: null };
    const m3 = await s.engine.store({ content: 'level three', level: 3, title: 'L3' }, owner);
    const m2 = await s.engine.store({ content: 'level two', level: 2, title: 'L2' }, owner);
    expect((await s.engine.recall({ memoryId: m3.id, justification: 'x' }, agent)).content.toString()).toBe('level three');

    await changeBoundaryConfig(s.engine, { externalModels: true }, { type: 'owner', id: 'cli' });
    const refused = s.engine.recall({ memoryId: m3.id, justification: 'x' }, agent);
    await expect(refused).rejects.toMatchObject({
      code: 'BOUNDARY_DENIED',
      message: expect.stringMatching(/external model access is enabled/),
    });
    expect((await s.engine.recall({ memoryId: m2.id, justification: 'x' }, agent)).content.toString()).toBe('level two');
    expect((await s.engine.recall({ memoryId: m3.id }, owner)).content.toString()).toBe('level three');
    const leaves = s.repo.queryAudit({ kind: 'boundary.config', limit: 10 }).map((r) => JSON.parse(r.json) as { details: object });
    expect(leaves.at(-1)?.details).toMatchObject({ externalModels: true });
  });

  it('refuses when the stored configuration is damaged', async () => {
    const gate = new VaultBoundaryGate({ probe: fixed({ online: false }) });
    const v = await newVault({ gates: { approvals: approvingGate(), environment: gate } });
    cleanups.push(() => {
      v.session.close();
      v.remove();
    });
    gate.attach(v.session.repo);
    v.session.repo.transaction(() => v.session.repo.setState('integrations.boundary', '{"daemon":"off","airgap":"yes"}'), 'full');
    expect(await gate.check({ level: 4, memoryId: 'm' })).toMatchObject({ permitted: false });
  });
});
