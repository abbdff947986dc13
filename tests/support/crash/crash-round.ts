// One round of the crash harness: start the vault-server child (dist/bench/crash-load-child.js),
// load it from agents over the real socket — stores and recalls, level-3 recalls the child's
// owner gate approves (with or without a grant) or denies — while the child does owner work
// (stores, tombstones, dead-man check-ins), then SIGKILL it at a random moment. Every answer the
// vault gave before the kill is written to the journal. Needs `npm run build:node`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { childLineSchema, JUSTIFY, type ChildConfig, type ChildLine } from '../../../src/bench/crash-load-protocol.js';
import { isVaultError } from '../../../src/core/errors.js';
import { AgentClient } from '../../../src/node/agent-api/agent-client.js';
import type { CrashJournal } from './crash-journal.js';

export const CRASH_CHILD = join(process.cwd(), 'dist', 'bench', 'crash-load-child.js');

export interface CrashMix {
  readonly vaultDir: string;
  readonly passphraseFile: string;
  /** An agent reaching level 2: the original store/recall load. */
  readonly storeToken: string;
  /** An agent reaching level 3 and the level-3 memories it recalls through the owner gate. */
  readonly approvals: { readonly token: string; readonly memoryIds: readonly string[] } | null;
  readonly tombstones: boolean;
  readonly checkIns: boolean;
  /** The kill lands this long after the agents connected: min + random * spread (ms). */
  readonly killAfterMs: { readonly min: number; readonly spread: number };
  /**
   * Every n-th round (0: never) the child first rotates the vault's keys and is killed at a
   * random step of it, or — one time in as many as there are steps — serves after it as usual.
   */
  readonly rotateEvery: number;
}

/** The rotation steps the child reports (rotate-profile-key.ts RotationPhase, without level-5 touches). */
const ROTATION_STEPS = ['prepare', 'pending-header', 'rewrap', 'rekey', 'audit', 'commit-header', 'done'] as const;

/**
 * Refusals the anomaly detector counts (APPROVAL_DENIED among them) suspend an agent at 10 a
 * minute; each child is a fresh detector, so a round stays below that and the agent stays usable.
 */
const MAX_DENIALS_PER_ROUND = 4;

interface Child {
  readonly process: ChildProcess;
  /** null: the child was killed on purpose (inside its rotation) before it listened. */
  readonly listening: Promise<{ pid: number; agentSocket: string } | null>;
  readonly closed: Promise<void>;
  output(): string;
}

function startChild(mix: CrashMix, journal: CrashJournal, killInRotation: string | null): Child {
  if (!existsSync(CRASH_CHILD)) throw new Error(`${CRASH_CHILD} is missing: run \`npm run build:node\` first (npm test does).`);
  const cfg: ChildConfig = {
    dir: mix.vaultDir,
    passphraseFile: mix.passphraseFile,
    tombstones: mix.tombstones,
    checkIns: mix.checkIns,
    ownerPauseMs: 5,
    rotate: killInRotation !== null,
  };
  let killedOnPurpose = false;
  const child = spawn(process.execPath, [CRASH_CHILD, JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let pending = '';
  let onListening: (v: { pid: number; agentSocket: string } | null) => void = () => undefined;
  let onFailed: (e: Error) => void = () => undefined;
  const listening = new Promise<{ pid: number; agentSocket: string } | null>((resolve, reject) => {
    onListening = resolve;
    onFailed = reject;
  });
  const handle = (line: ChildLine): void => {
    if (line.event === 'listening') onListening({ pid: line.pid, agentSocket: line.agentSocket });
    else if (line.event === 'rotation-phase') {
      if (line.phase === killInRotation && !killedOnPurpose) {
        killedOnPurpose = true;
        // A moment into the step, not only at its start.
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 5));
      }
    } else if (line.event === 'failed') {
      journal.problems.push(`child failed: ${line.message}`);
      onFailed(new Error(`crash child failed: ${line.message}\n${err}`));
    } else if (line.event === 'ack') {
      if (line.op === 'owner-store') journal.ownerStores.push({ id: line.memoryId, content: line.content });
      else if (line.op === 'tombstone') journal.tombstones.push(line.memoryId);
      else if (line.op === 'rotation') journal.rotations.push({ rotationId: line.rotationId, to: line.to });
      else journal.checkIns.push(line.deadline);
    }
  };
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    pending += d.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) {
      if (l.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(l);
      } catch {
        journal.problems.push(`unreadable child line: ${l.slice(0, 200)}`);
        continue;
      }
      const parsed = childLineSchema.safeParse(json);
      if (parsed.success) handle(parsed.data);
      else journal.problems.push(`unexpected child line: ${l.slice(0, 200)}`);
    }
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  // 'close': the process ended and its stdout is drained, so every ack it printed has been read.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void closed.then(() =>
    killedOnPurpose
      ? onListening(null)
      : onFailed(new Error(`crash child exited before listening (${child.exitCode ?? child.signalCode}): ${err}`)),
  );
  return { process: child, listening, closed, output: () => `${out}${err}` };
}

/** The original load: level 0–2 stores (acknowledged ones journaled) and recalls of acknowledged stores. */
function storeWorkers(client: AgentClient, journal: CrashJournal, round: number, killAt: number): Promise<void>[] {
  let k = 0;
  return Array.from({ length: 4 }, async (_, w) => {
    while (Date.now() < killAt) {
      k++;
      const content = `round ${round} worker ${w} op ${k}`;
      try {
        if (k % 3 !== 0 || journal.stores.length === 0) {
          const stored = await client.store({ content, level: (k % 3) as 0 | 1 | 2, title: `r${round}w${w}` });
          journal.stores.push({ id: stored.id, content }); // acknowledged: must survive the kill
        } else {
          const pick = journal.stores[Math.floor(Math.random() * journal.stores.length)]!;
          await client.recall(pick.id, 'crash test');
        }
      } catch {
        return; // connection died with the server
      }
    }
  });
}

/** Level-3 recalls: approved with a grant, approved, denied by the child's owner gate; later ones use the grant. */
function approvalWorkers(client: AgentClient, memoryIds: readonly string[], journal: CrashJournal, killAt: number): Promise<void>[] {
  let denials = 0;
  const words = [JUSTIFY.approveWithGrant, JUSTIFY.approve, JUSTIFY.deny] as const;
  return Array.from({ length: 2 }, async () => {
    while (Date.now() < killAt) {
      const memoryId = memoryIds[Math.floor(Math.random() * memoryIds.length)]!;
      let word: string = words[Math.floor(Math.random() * words.length)]!;
      if (word === JUSTIFY.deny && denials >= MAX_DENIALS_PER_ROUND) word = JUSTIFY.approve;
      if (word === JUSTIFY.deny) denials++;
      let requestId: string | null = null;
      try {
        const first = await client.recall(memoryId, word);
        if (first.status === 'ok') {
          journal.grantUses.push(memoryId); // no owner was asked: a grant let it through
          continue;
        }
        requestId = first.requestId;
        const answer = await client.wait(requestId, 5_000);
        if (answer.status === 'ok') journal.approvals.push({ requestId, memoryId, approved: true });
      } catch (e) {
        const code = isVaultError(e) ? e.code : String(e);
        if (code === 'APPROVAL_DENIED' && requestId !== null) {
          journal.approvals.push({ requestId, memoryId, approved: false });
          continue;
        }
        // Before the kill the server is alive: any other answer is a finding, not the crash.
        if (Date.now() < killAt) journal.problems.push(`level-3 recall (${word}) answered ${code} before the kill`);
        return;
      }
    }
  });
}

/** Wall-clock figures of one round (reported, never asserted: the machine is shared). */
export interface RoundTimes {
  /** Spawn until the child listens (node start, unlock, server up). */
  readonly startMs: number;
  /** Agents connected until the child is gone. */
  readonly loadMs: number;
  /** The rotation step the child was killed in, if it was. */
  readonly killedInRotation: string | null;
}

/** Run one round: child up, agents load it, SIGKILL at a random moment, wait until it is gone. */
export async function loadUntilKilled(mix: CrashMix, journal: CrashJournal, round: number): Promise<RoundTimes> {
  const t0 = performance.now();
  let t1 = t0;
  const rotating = mix.rotateEvery > 0 && round % mix.rotateEvery === mix.rotateEvery - 1;
  // 'serve': the rotation is not interrupted; the kill comes under load as in other rounds.
  const killInRotation = rotating
    ? ([...ROTATION_STEPS, 'serve'] as const)[Math.floor(Math.random() * (ROTATION_STEPS.length + 1))]!
    : null;
  const child = startChild(mix, journal, killInRotation);
  try {
    const up = await withDeadline(child.listening, 30_000, () => `crash child did not listen: ${child.output()}`);
    t1 = performance.now();
    if (up === null) return { startMs: t1 - t0, loadMs: 0, killedInRotation: killInRotation };
    const { pid, agentSocket } = up;
    const stores = await AgentClient.connect({ socketPath: agentSocket, token: mix.storeToken, timeoutMs: 5_000 });
    const l3 = mix.approvals ? await AgentClient.connect({ socketPath: agentSocket, token: mix.approvals.token, timeoutMs: 10_000 }) : null;
    const killAt = Date.now() + mix.killAfterMs.min + Math.floor(Math.random() * mix.killAfterMs.spread);
    const workers = [
      ...storeWorkers(stores, journal, round, killAt),
      ...(l3 && mix.approvals ? approvalWorkers(l3, mix.approvals.memoryIds, journal, killAt) : []),
    ];
    await new Promise((r) => setTimeout(r, Math.max(0, killAt - Date.now())));
    process.kill(pid, 'SIGKILL');
    await Promise.allSettled(workers);
    stores.close();
    l3?.close();
  } finally {
    // Whatever happened above, no child outlives its round.
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.closed;
  }
  return { startMs: t1 - t0, loadMs: performance.now() - t1, killedInRotation: null };
}

async function withDeadline<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
