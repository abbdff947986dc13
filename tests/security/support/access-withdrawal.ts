// Shared set-up for the access-withdrawal regression tests (issue 13 deliverable 4): a real vault
// server with a real agent on its socket, a level-3 memory, and readers for the audit trail.
import type { ApprovalDecision, ApprovalGate, ApprovalRequest } from '../../../src/core/ports/approval-gate.port.js';
import type { AgentClient, RecallAnswer } from '../../../src/node/agent-api/agent-client.js';
import { startServerFixture, type ServerFixture } from '../../agent-api/agent-fixture.js';

export const SECRET = 'l3 sealed launch codes 0000';

export interface AuditEntry {
  readonly kind: string;
  readonly outcome: string;
  readonly code?: string;
  readonly reason?: string;
  readonly actor: { readonly type: string; readonly id: string };
  readonly memory?: { readonly id: string };
  readonly details?: Record<string, unknown>;
}

export function audit(fx: ServerFixture): AuditEntry[] {
  return fx.session.repo.readAuditRecords(0, 100_000).map((r) => JSON.parse(r.json) as AuditEntry);
}

/** A server, one level-3 agent and one level-3 memory it stored. */
export async function setUp(): Promise<{ fx: ServerFixture; agent: Awaited<ReturnType<ServerFixture['agent']>>; memoryId: string }> {
  const fx = await startServerFixture();
  const agent = await fx.agent('reader', 3);
  const m = await agent.client.store({ content: SECRET, level: 3, title: 'launch codes' });
  return { fx, agent, memoryId: m.id };
}

export function pendingId(answer: RecallAnswer): string {
  if (answer.status !== 'pending') throw new Error(`expected a pending answer, got ${answer.status}`);
  return answer.requestId;
}

/**
 * Resolves once the server is holding `request.wait` for this request: frames on one connection
 * are authenticated in order, so when a later vault.health on the same connection answers, the
 * wait sent before it is past authentication and parked on the recall.
 */
export async function parked(client: AgentClient): Promise<void> {
  await client.health();
}

/** Whatever an agent answer carries, as text: the test asserts the secret is not in it. */
export function leaked(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(SECRET);
}

/** Settles with the answer or the error, so a test can look at both. */
export async function settle(p: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; code: string; details: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : `THREW ${String(e)}`;
    const details = typeof e === 'object' && e !== null && 'details' in e ? e.details : undefined;
    return { ok: false, code, details };
  }
}

/**
 * An owner gate for the "approved after the gate changed" race: it holds each request until the
 * test releases it, runs `beforeApproving` (the state change), then approves.
 */
export function racingApprover(
  beforeApproving: (req: ApprovalRequest) => Promise<void> | void,
  grantMinutes = 0,
): ApprovalGate & { release(): void; asked: number } {
  let releases: (() => void)[] = [];
  const gate = {
    asked: 0,
    release() {
      const r = releases;
      releases = [];
      for (const f of r) f();
    },
    async requestApproval(req: ApprovalRequest): Promise<ApprovalDecision> {
      gate.asked++;
      await new Promise<void>((r) => releases.push(r));
      await beforeApproving(req);
      return { outcome: 'approved', channel: 'terminal', grantMinutes };
    },
  };
  return gate;
}
