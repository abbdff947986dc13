// Acceptance: the boundary daemon gate against a fake daemon on a real Unix socket, through a
// real vault's recall pipeline.
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { BoundaryDaemonGate } from '../../src/core/integrations/boundary/boundary-daemon-gate.js';
import { UnixJsonLineChannel } from '../../src/node/integrations/unix-json-line-channel.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { approvingGate, newVault } from '../support/vault-fixture.js';
import { startFakeDaemon, type FakeDaemon } from './support/fake-boundary-daemon.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(timeoutMs?: number): Promise<{ daemon: FakeDaemon; session: VaultSession }> {
  const daemon = await startFakeDaemon();
  const gate = new BoundaryDaemonGate(new UnixJsonLineChannel(daemon.socketPath, timeoutMs));
  const v = await newVault({ gates: { approvals: approvingGate(), environment: gate } });
  cleanups.push(
    () => daemon.cleanup(),
    () => {
      v.session.close();
      v.remove();
    },
  );
  return { daemon, session: v.session };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { code: String(err.code), message: String(err.message) };
  }
  return { code: 'OK', message: '' };
}

function lastRefusal(s: VaultSession): { code?: string; reason?: string } {
  const events = s.repo
    .readAuditRecords(0, 10_000)
    .map((r) => JSON.parse(r.json) as { kind: string; outcome: string; code?: string; reason?: string });
  // The refusal's kind is memory.recall or boundary.denied (the engine decides); its code is stable.
  return events.filter((e) => e.outcome === 'refused' && e.code === 'BOUNDARY_DENIED').at(-1) ?? {};
}

describe('BoundaryDaemonGate with a daemon on a Unix socket', () => {
  it("allows a level-4 recall in AIRGAP and refuses it in ONLINE with the daemon's reason", async () => {
    const { daemon, session } = await setup();
    const m = await session.engine.store({ content: 'vaulted secret', level: 4, title: 'L4' }, owner);

    daemon.mode = 'AIRGAP';
    const ok = await session.engine.recall({ memoryId: m.id }, owner);
    expect(ok.content.toString()).toBe('vaulted secret');

    daemon.mode = 'ONLINE';
    const r = await refusal(session.engine.recall({ memoryId: m.id }, owner));
    expect(r.code).toBe('BOUNDARY_DENIED');
    expect(r.message).toContain('Network interface active in ONLINE mode');
    // The audit event names the daemon's reason and mode.
    const ev = lastRefusal(session);
    expect(ev.code).toBe('BOUNDARY_DENIED');
    expect(ev.reason).toContain('mode ONLINE');
    expect(ev.reason).toContain('level 4 requires AIRGAP');
    expect(daemon.requests.some((q) => q.command === 'check_recall' && q.params.memory_class === 4)).toBe(true);
  });

  it('fails closed when the daemon is killed', async () => {
    const { daemon, session } = await setup();
    const m = await session.engine.store({ content: 'vaulted', level: 4, title: 'L4' }, owner);
    daemon.mode = 'AIRGAP';
    await session.engine.recall({ memoryId: m.id }, owner);
    await daemon.kill();
    const r = await refusal(session.engine.recall({ memoryId: m.id }, owner));
    expect(r.code).toBe('BOUNDARY_DENIED');
    expect(r.message).toMatch(/unavailable.*failing closed/);
  });

  it('refuses on a garbage reply, on a reply of the wrong shape, and on silence (timeout)', async () => {
    const { daemon, session } = await setup(300);
    const m = await session.engine.store({ content: 'sealed', level: 3, title: 'L3' }, owner);
    daemon.mode = 'AIRGAP';
    for (const behaviour of ['garbage', 'wrong-shape', 'silent'] as const) {
      daemon.behaviour = behaviour;
      const r = await refusal(session.engine.recall({ memoryId: m.id }, owner));
      expect(r.code, behaviour).toBe('BOUNDARY_DENIED');
    }
    daemon.behaviour = 'normal';
    expect((await session.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe('sealed');
  });

  it('leaves levels 0–2 unaffected, even with the daemon dead', async () => {
    const { daemon, session } = await setup();
    await daemon.kill();
    for (const level of [0, 1, 2] as const) {
      const m = await session.engine.store({ content: `level ${level}`, level, title: `L${level}` }, owner);
      expect((await session.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe(`level ${level}`);
    }
    expect(daemon.requests).toHaveLength(0);
  });

  it('reports the mode with get_mode', async () => {
    const { daemon } = await setup();
    daemon.mode = 'COLDROOM';
    const gate = new BoundaryDaemonGate(new UnixJsonLineChannel(daemon.socketPath));
    expect(await gate.mode()).toEqual({ ok: true, mode: 'COLDROOM' });
    expect(await gate.check({ level: 5, memoryId: 'x' })).toMatchObject({ permitted: true, mode: 'COLDROOM' });
  });

  it('level 5 also asks human_presence: nobody at the machine, or no well-formed answer, refuses even in COLDROOM', async () => {
    const { daemon } = await setup(300);
    daemon.mode = 'COLDROOM';
    const gate = new BoundaryDaemonGate(new UnixJsonLineChannel(daemon.socketPath, 300));
    expect(await gate.check({ level: 5, memoryId: 'x' })).toMatchObject({ permitted: true });
    expect(daemon.requests.some((q) => q.command === 'human_presence')).toBe(true);
    daemon.humanPresent = false;
    const absent = await gate.check({ level: 5, memoryId: 'x' });
    expect(absent).toMatchObject({ permitted: false, mode: 'COLDROOM' });
    expect(absent.reason).toMatch(/needs a person present \(no one at the console\)/);
    // Level 4 does not ask it.
    const before = daemon.requests.filter((q) => q.command === 'human_presence').length;
    daemon.mode = 'AIRGAP';
    expect(await gate.check({ level: 4, memoryId: 'x' })).toMatchObject({ permitted: true });
    expect(daemon.requests.filter((q) => q.command === 'human_presence')).toHaveLength(before);
  });
});
