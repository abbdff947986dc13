// Crash safety: the server runs as a child process under mixed load and is SIGKILLed at random
// moments, many times. After every kill the vault opens, the audit log verifies, and every
// operation the client saw acknowledged is present.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { unlockVault } from '../../src/node/vault/vault-session.js';
import { BIN, cliVault, Watched, type CliVault } from '../agent-api/cli-process.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 50);
const owner: Requester = { kind: 'owner', channel: 'cli' };
let v: CliVault;
let token: string;

beforeAll(() => {
  v = cliVault();
  token = v.json<{ token: string }>(['agent', 'add', 'loader', '--max-level', '2']).token;
});
afterAll(() => v?.remove());

interface Ack {
  readonly id: string;
  readonly content: string;
}

async function loadUntilKilled(journal: Ack[], round: number): Promise<void> {
  const serve = new Watched(spawn(process.execPath, [BIN, '--json', 'serve'], { env: v.env, stdio: ['pipe', 'pipe', 'pipe'] }));
  const m = await serve.waitFor(/"event":"listening".*?"pid":(\d+)/, 30_000);
  const pid = Number(m[1]);
  const client = await AgentClient.connect({ socketPath: join(v.dir, 'agent.sock'), token, timeoutMs: 5_000 });
  const killAt = Date.now() + 30 + Math.floor(Math.random() * 250);
  let k = 0;
  const workers = Array.from({ length: 4 }, async (_, w) => {
    while (Date.now() < killAt) {
      k++;
      const content = `round ${round} worker ${w} op ${k}`;
      try {
        if (k % 3 !== 0 || journal.length === 0) {
          const stored = await client.store({ content, level: (k % 3) as 0 | 1 | 2, title: `r${round}w${w}` });
          journal.push({ id: stored.id, content }); // acknowledged: must survive the kill
        } else {
          const pick = journal[Math.floor(Math.random() * journal.length)]!;
          await client.recall(pick.id, 'crash test');
        }
      } catch {
        return; // connection died with the server
      }
    }
  });
  await new Promise((r) => setTimeout(r, Math.max(0, killAt - Date.now())));
  process.kill(pid, 'SIGKILL');
  await Promise.allSettled(workers);
  client.close();
  await serve.exited();
}

describe('crash safety under SIGKILL', () => {
  it(`survives ${KILLS} kills with every acknowledged store intact and the audit log verifying`, async () => {
    const journal: Ack[] = [];
    for (let round = 0; round < KILLS; round++) {
      await loadUntilKilled(journal, round);
      const session = await unlockVault({ dir: v.dir, credentials: { kind: 'passphrase', passphrase: 'correct horse battery staple' } });
      try {
        const verified = await session.engine.auditLog.verify();
        expect({ round, ok: verified.ok, damage: verified.damage }).toEqual({ round, ok: true, damage: null });
        for (const ack of journal.slice(-40)) {
          const r = await session.engine.recall({ memoryId: ack.id }, owner);
          expect(r.content.toString()).toBe(ack.content);
        }
      } finally {
        session.close();
      }
    }
    // Every acknowledged store, from every round, once more at the end.
    const session = await unlockVault({ dir: v.dir, credentials: { kind: 'passphrase', passphrase: 'correct horse battery staple' } });
    try {
      for (const ack of journal) expect((await session.engine.recall({ memoryId: ack.id }, owner)).content.toString()).toBe(ack.content);
    } finally {
      session.close();
    }
    expect(journal.length).toBeGreaterThan(KILLS);
    console.log(`crash-safety: ${KILLS} SIGKILLs, ${journal.length} acknowledged stores, all present`);
  }, 600_000);
});
