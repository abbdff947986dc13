// The vault-server child of the mixed-load benchmark (mixed-load.ts). It composes the server as
// `serve` and the desktop do (startVaultServer on an unlocked session), so the agents measured
// by the parent talk to a process of their own over the real agent socket. On the parent's
// word it does the owner's work in this process — unlock-cost key derivations, wrong-passphrase
// re-authentications through verifyOwner, a full `audit verify` and a full backup of a log grown
// to --events audit events — and it approves every level-3 request as the owner would. A second
// socket answers every line at once: the round-trip floor, measured alongside.
// Usage (by mixed-load.js only): node dist/bench/mixed-load-server.js --kdf default|quick --events N
import { startEmptyServer } from './empty-handler-server.js';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ARGON2ID } from '../core/crypto/passphrase-kdf.js';
import { zeroize } from '../core/crypto/keys.js';
import { isVaultError } from '../core/errors.js';
import { AgentClient } from '../node/agent-api/agent-client.js';
import { startVaultServer } from '../node/agent-api/vault-server.js';
import { writeBackup } from '../node/backup/backup-writer.js';
import type { VaultSession } from '../node/vault/vault-session.js';
import type { Credentials } from '../node/vault/credentials.js';
import { initVault } from '../node/composition/vault-sessions.js';
import { QUICK_KDF, toServerSchema, type FromServer, type OwnerWork } from './mixed-load-protocol.js';

const CREDENTIALS: Credentials = { kind: 'passphrase', passphrase: 'benchmark passphrase, not a secret' };
const UNLIMITED = { perConnection: { ratePerSecond: 1e9, burst: 1e9 }, perAgent: { ratePerSecond: 1e9, burst: 1e9 } };
const L1_MEMORIES = 200;
const L3_MEMORIES = 20;

/** Grow the log to `events` audit events in normal-durability batches (as a busy vault's reads would). */
async function growLog(session: VaultSession, events: number): Promise<void> {
  const batch = 5_000;
  while (session.engine.auditLog.size() < events) {
    const n = Math.min(batch, events - session.engine.auditLog.size());
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        session.engine.recordEvent(
          { kind: 'memory.list', actor: { type: 'owner', id: 'bench' }, outcome: 'ok', details: { results: i } },
          'normal',
        ),
      ),
    );
  }
  await session.engine.auditLog.checkpointNow();
}

function send(msg: FromServer): void {
  process.send?.(msg);
}

async function main(): Promise<void> {
  const kdf = process.argv.includes('quick') ? QUICK_KDF : DEFAULT_ARGON2ID;
  const eventsAt = process.argv.indexOf('--events');
  const logEvents = eventsAt > 0 ? Number(process.argv[eventsAt + 1]) : 0;
  const root = mkdtempSync(join(tmpdir(), 'mv-bench-mixed-'));
  const dir = join(root, 'vault');
  const session = await initVault({ dir, credentials: CREDENTIALS, kdfCost: kdf });
  const server = await startVaultServer(session, { limits: UNLIMITED });
  const closeEmpty = await startEmptyServer(join(root, 'empty.sock'));
  // The owner approves every request as it appears (a moment later, as a person's click would).
  server.broker.onDidChange((v) => {
    if (v.state !== 'pending') return;
    setImmediate(() => {
      try {
        server.broker.decide(v.requestId, { approve: true }, 'terminal', v.digest);
      } catch {
        /* expired or cancelled meanwhile: the requester sees that */
      }
    });
  });
  const bench = server.registry.create({ name: 'measured', maxLevel: 1, namespaces: null, expiresAt: null });
  const requester = server.registry.create({ name: 'requester', maxLevel: 3, namespaces: null, expiresAt: null });
  const setup = await AgentClient.connect({ socketPath: server.agentSocket, token: requester.token });
  const memories: { id: string; content: string; level: number }[] = [];
  for (let i = 0; i < L1_MEMORIES + L3_MEMORIES; i++) {
    const level = i < L1_MEMORIES ? 1 : 3;
    const content = `mixed-load memory ${i} at level ${level}`;
    memories.push({ id: (await setup.store({ content, level, title: `m${i}` })).id, content, level });
  }
  setup.close();
  await growLog(session, logEvents);

  const ownerWork = async (work: OwnerWork, times: number) => {
    const ms: number[] = [];
    const codes: string[] = [];
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      try {
        if (work === 'unlock') {
          const keys = await session.openKeys(CREDENTIALS);
          zeroize(keys.wrappingKey, keys.profileKey);
          codes.push('ok');
        } else if (work === 'audit-verify') {
          const v = await session.engine.auditLog.verify();
          codes.push(v.ok ? 'ok' : 'damaged');
        } else if (work === 'backup') {
          const out = join(root, `backup-${i}.mvb`);
          await writeBackup(session, {
            out,
            protection: { kind: 'passphrase', passphrase: 'mixed-load backup passphrase', kdfCost: QUICK_KDF },
          });
          codes.push(statSync(out).size > 0 ? 'ok' : 'empty');
          rmSync(out, { force: true });
        } else {
          await session.verifyOwner({ kind: 'passphrase', passphrase: `wrong guess ${i}` });
          codes.push('ok');
        }
      } catch (e) {
        codes.push(isVaultError(e) ? e.code : 'thrown');
      }
      ms.push(performance.now() - t0);
    }
    send({ event: 'done', work, ms, codes });
  };

  const stop = async () => {
    await server.close();
    session.close();
    await closeEmpty();
    rmSync(root, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('message', (raw: unknown) => {
    const msg = toServerSchema.safeParse(raw);
    if (!msg.success) {
      send({ event: 'failed', message: 'unreadable instruction from the parent' });
      return;
    }
    if (msg.data.op === 'stop') void stop();
    else void ownerWork(msg.data.work, msg.data.times);
  });
  process.on('disconnect', () => void stop());
  send({
    event: 'ready',
    agentSocket: server.agentSocket,
    emptySocket: join(root, 'empty.sock'),
    token: bench.token,
    requesterToken: requester.token,
    memories,
    kdf: { opsLimit: kdf.opsLimit, memLimitBytes: kdf.memLimitBytes },
    logEvents: session.engine.auditLog.size(),
  });
}

main().catch((e: unknown) => {
  send({ event: 'failed', message: e instanceof Error ? e.message : String(e) });
  process.exitCode = 1;
});
