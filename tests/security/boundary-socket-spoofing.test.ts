// Threat: a process planted a fake boundary daemon at the default socket path
// (~/.agent-os/api/boundary.sock) answering "AIRGAP", so a level-4 recall on an online machine
// became an approval prompt. The socket is now used only when it (lstat, not followed) and its
// directory are owned by root or the vault's user and not writable by group/others; otherwise the
// recall is refused with BOUNDARY_DENIED naming the problem, no approval is asked, and doctor and
// status --json say why.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { boundaryHealth } from '../../src/node/integrations/boundary-health.js';
import { VaultBoundaryGate } from '../../src/node/integrations/vault-boundary-gate.js';
import { collectHealth } from '../../src/cli/io/health.js';
import { approvingGate, newVault } from '../support/vault-fixture.js';
import { startFakeDaemon, type FakeDaemon } from '../integrations/support/fake-boundary-daemon.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };

let home: string;
let savedHome: string | undefined;
let cleanups: (() => Promise<void> | void)[] = [];

beforeEach(() => {
  savedHome = process.env.HOME;
  home = mkdtempSync(join(tmpdir(), 'mv-spoof-home-'));
  // The default socket path is under $HOME: point it at a home this test controls.
  process.env.HOME = home;
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
  process.env.HOME = savedHome;
  rmSync(home, { recursive: true, force: true });
});

const defaultSocket = () => join(home, '.agent-os', 'api', 'boundary.sock');

async function plantDaemon(at = defaultSocket()): Promise<FakeDaemon> {
  mkdirSync(dirname(at), { recursive: true, mode: 0o700 });
  chmodSync(dirname(at), 0o700);
  const daemon = await startFakeDaemon({ at });
  daemon.mode = 'AIRGAP';
  cleanups.push(() => daemon.cleanup());
  return daemon;
}

async function vaultWithDefaultBoundary() {
  const approvals = approvingGate();
  const environment = new VaultBoundaryGate();
  const v = await newVault({ gates: { approvals, environment } });
  environment.attach(v.session.repo);
  cleanups.push(() => {
    v.session.close();
    v.remove();
  });
  const m = await v.session.engine.store({ content: 'launch window', level: 4, title: 'L4' }, owner);
  return { session: v.session, approvals, memoryId: m.id };
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

describe('boundary socket spoofing', () => {
  it('a world-writable (0666) daemon socket answering AIRGAP: level-4 recall refused, no approval asked', async () => {
    const daemon = await plantDaemon();
    chmodSync(daemon.socketPath, 0o666);
    const { session, approvals, memoryId } = await vaultWithDefaultBoundary();
    const r = await refusal(session.engine.recall({ memoryId }, owner));
    expect(r.code).toBe('BOUNDARY_DENIED');
    expect(r.message).toContain('writable by group or others (mode 0666)');
    expect(approvals.asked).toBe(0);
    // The fake daemon was never even asked.
    expect(daemon.requests).toHaveLength(0);
    const ev = session.repo
      .readAuditRecords(0, 10_000)
      .map((x) => JSON.parse(x.json) as { outcome: string; code?: string; reason?: string })
      .filter((e) => e.code === 'BOUNDARY_DENIED');
    expect(ev.at(-1)?.reason).toContain('untrusted daemon socket');
  });

  it('a group-writable socket directory is refused', async () => {
    const daemon = await plantDaemon();
    chmodSync(dirname(daemon.socketPath), 0o770);
    const { session, approvals, memoryId } = await vaultWithDefaultBoundary();
    const r = await refusal(session.engine.recall({ memoryId }, owner));
    expect(r.code).toBe('BOUNDARY_DENIED');
    expect(r.message).toContain(`socket directory ${dirname(daemon.socketPath)} is writable by group or others`);
    expect(approvals.asked).toBe(0);
  });

  it('a symlink at the default path is refused, not followed', async () => {
    const elsewhere = join(home, 'elsewhere', 'boundary.sock');
    await plantDaemon(elsewhere);
    mkdirSync(dirname(defaultSocket()), { recursive: true, mode: 0o700 });
    symlinkSync(elsewhere, defaultSocket());
    const { session, approvals, memoryId } = await vaultWithDefaultBoundary();
    const r = await refusal(session.engine.recall({ memoryId }, owner));
    expect(r.code).toBe('BOUNDARY_DENIED');
    expect(r.message).toContain('is a symbolic link');
    expect(approvals.asked).toBe(0);
  });

  it('a socket owned by another uid is refused', async (ctx) => {
    if (process.getuid?.() !== 0) {
      console.warn('skipped: chown to another uid needs root');
      ctx.skip();
    }
    const daemon = await plantDaemon();
    chownSync(daemon.socketPath, 12345, 12345);
    const { session, approvals, memoryId } = await vaultWithDefaultBoundary();
    const r = await refusal(session.engine.recall({ memoryId }, owner));
    expect(r.code).toBe('BOUNDARY_DENIED');
    expect(r.message).toContain('owned by uid 12345');
    expect(approvals.asked).toBe(0);
  });

  it('health (status --json) names the ownership problem', async () => {
    const daemon = await plantDaemon();
    chmodSync(daemon.socketPath, 0o666);
    const { session } = await vaultWithDefaultBoundary();
    const health = await collectHealth(session);
    expect(health.boundary).toMatchObject({
      ok: false,
      provider: 'daemon',
      releasesUpTo: 2,
      daemon: { trusted: false, socketPath: daemon.socketPath },
    });
    const b = await boundaryHealth();
    expect(b.problems.join('\n')).toContain('boundary daemon socket refused');
    expect(b.problems.join('\n')).toContain('mode 0666');
  });

  it('a correctly owned 0600 socket in a 0700 directory still works', async () => {
    const daemon = await plantDaemon();
    chmodSync(daemon.socketPath, 0o600);
    const { session, approvals, memoryId } = await vaultWithDefaultBoundary();
    const ok = await session.engine.recall({ memoryId }, owner);
    expect(ok.content.toString()).toBe('launch window');
    expect(approvals.asked).toBe(1);
    const b = await boundaryHealth();
    expect(b).toMatchObject({ ok: true, daemon: { trusted: true, trustProblem: null, mode: 'AIRGAP' } });
  });
});

describe('doctor names an untrusted boundary socket', () => {
  it('doctor --json reports the socket as refused with the reason', async () => {
    // The compiled CLI is needed (npm test builds it first); the harness says so when it is missing.
    const { createSandbox } = await import('../cli/cli-harness.js');
    const sandbox = createSandbox();
    cleanups.push(() => sandbox.cleanup());
    const at = join(sandbox.env.HOME ?? '', '.agent-os', 'api', 'boundary.sock');
    const daemon = await plantDaemon(at);
    chmodSync(daemon.socketPath, 0o666);
    const r = await sandbox.vcli(['doctor']);
    const out = JSON.parse(r.stdout) as {
      result: { boundary: { ok: boolean; daemon: { trusted: boolean; trustProblem: string }; problems: string[] } };
    };
    expect(out.result.boundary.ok).toBe(false);
    expect(out.result.boundary.daemon.trusted).toBe(false);
    expect(out.result.boundary.daemon.trustProblem).toContain('mode 0666');
    expect(daemon.requests).toHaveLength(0);
  });
});
