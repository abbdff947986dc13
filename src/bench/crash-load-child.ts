// The vault-server child of the crash harness (tests/support/crash). It composes the server as
// `serve` does (startVaultServer on an unlocked session), answers level-3 approval requests as
// the owner would (by the justification's word: approve, approve with a grant, or deny), and
// does owner work in a loop — stores, tombstones, dead-man check-ins — printing one `ack` line
// per operation once the vault has answered it. On request it first rotates the vault's keys,
// printing each step, so the parent can kill it inside the rotation. The parent SIGKILLs this process at a random
// moment and checks every ack, and every state change, against the reopened vault.
// Usage (by the harness only): node dist/bench/crash-load-child.js '<ChildConfig JSON>'
import { DEFAULT_ANOMALY_RULE } from '../core/engine/lockdown.js';
import { readFileSync, writeSync } from 'node:fs';
import { isVaultError } from '../core/errors.js';
import { shortIdOf } from '../core/model/memory.js';
import { startVaultServer } from '../node/agent-api/vault-server.js';
import { checkInDeadman } from '../node/deadman/deadman.service.js';
import { rotateProfileKey } from '../node/rotation/rotate-profile-key.js';
import type { Credentials } from '../node/vault/credentials.js';
import { unlockVault } from '../node/composition/vault-sessions.js';
import { type VaultSession } from '../node/vault/vault-session.js';
import { childConfigSchema, GRANT_MINUTES, JUSTIFY, type ChildConfig, type ChildLine } from './crash-load-protocol.js';

/** Synchronous, so a line is in the pipe before the next step can be interrupted by the kill. */
function say(line: ChildLine): void {
  writeSync(1, `${JSON.stringify(line)}\n`);
}

const describe = (e: unknown): string => (isVaultError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function ownerLoop(session: VaultSession, cfg: ChildConfig): Promise<void> {
  const proof = session.ownerProof();
  for (let k = 0; ; k++) {
    if (cfg.tombstones) {
      const content = `owner note ${process.pid}-${k}`;
      const m = await session.engine.store({ content, level: 1, title: `doomed ${k}` }, { kind: 'owner', channel: 'cli' });
      say({ event: 'ack', op: 'owner-store', memoryId: m.id, content });
      await pause(cfg.ownerPauseMs);
      await session.engine.tombstone({ memoryId: m.id, confirmShortId: shortIdOf(m.id), reason: 'crash harness' }, proof);
      say({ event: 'ack', op: 'tombstone', memoryId: m.id });
      await pause(cfg.ownerPauseMs);
    }
    if (cfg.checkIns) {
      const { deadline } = await checkInDeadman(session);
      say({ event: 'ack', op: 'checkin', deadline });
      await pause(cfg.ownerPauseMs);
    }
    if (!cfg.tombstones && !cfg.checkIns) return;
  }
}

async function main(): Promise<void> {
  const raw: unknown = JSON.parse(process.argv[2] ?? '');
  const cfg = childConfigSchema.parse(raw);
  const passphrase = readFileSync(cfg.passphraseFile, 'utf8').replace(/\r?\n$/, '');
  const credentials: Credentials = { kind: 'passphrase', passphrase };
  if (cfg.rotate) {
    // The rotation closes its session (the engine holds the old key); serving reopens.
    const r = await rotateProfileKey(await unlockVault({ dir: cfg.dir, credentials }), {
      credentials,
      onProgress: (p) => say({ event: 'rotation-phase', phase: p.phase }),
    });
    say({ event: 'ack', op: 'rotation', rotationId: r.rotationId, to: r.to });
  }
  // The workload denies level-3 recalls on purpose, round after round; the anomaly rule counts
  // refusals across processes (each round is one), so left at its default it would suspend the
  // harness's own agent part-way through. Crash safety is what this child exercises, not that rule.
  const session = await unlockVault({
    dir: cfg.dir,
    credentials,
    config: { anomaly: { ...DEFAULT_ANOMALY_RULE, maxRefusals: Number.MAX_SAFE_INTEGER } },
  });
  const server = await startVaultServer(session, {});
  // The owner answers each request as it appears, by the word the agent's justification carries.
  server.broker.onDidChange((v) => {
    if (v.state !== 'pending') return;
    setImmediate(() => {
      const approve = v.justification === JUSTIFY.approve || v.justification === JUSTIFY.approveWithGrant;
      const grantMinutes = v.justification === JUSTIFY.approveWithGrant ? GRANT_MINUTES : 0;
      try {
        server.broker.decide(v.requestId, approve ? { approve: true, grantMinutes } : { approve: false }, 'terminal', v.digest);
        say({ event: 'decided', requestId: v.requestId, approve });
      } catch {
        /* expired or cancelled meanwhile: the requester sees that */
      }
    });
  });
  say({ event: 'listening', pid: process.pid, agentSocket: server.agentSocket });
  await ownerLoop(session, cfg);
}

main().catch((e: unknown) => {
  say({ event: 'failed', message: describe(e) });
  process.exitCode = 1;
});
