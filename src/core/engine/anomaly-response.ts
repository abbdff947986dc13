// What a refusal does besides being audited: feed the anomaly detector, and when one requester
// crosses the burst threshold, contain it. Invariant: an agent's burst suspends that agent
// (through the AgentSuspender port, suspension and audit leaf in one transaction) and nothing
// else; the vault goes into lockdown only for a burst from the owner or a system component, for
// bursts from several agents within the window, or when the agent cannot be suspended (no
// registry, or the suspension failed) — failing closed rather than leaving the burst unanswered.
import type { ErrorCode } from '../errors.js';
import { actorOf, type Requester } from '../model/requester.js';
import type { EngineContext } from './engine-context.js';
import { DEFAULT_SUSPENDED_AGENTS_FOR_LOCKDOWN } from './lockdown.js';

/** Refusals that say "this requester is trying what it may not", as opposed to ordinary outcomes. */
export const ANOMALY_CODES: ReadonlySet<ErrorCode> = new Set([
  'FORBIDDEN',
  'APPROVAL_DENIED',
  'BOUNDARY_DENIED',
  'TOKEN_MISMATCH',
  'INTEGRITY_FAILURE',
]);

export type AnomalyOutcome = 'none' | 'agent-suspended' | 'lockdown';

/** Call after the refusal's audit event has committed; the caller then throws the refusal. */
export async function respondToRefusal(ctx: EngineContext, requester: Requester, code: ErrorCode): Promise<AnomalyOutcome> {
  if (!ANOMALY_CODES.has(code) || ctx.lockdown.on) return 'none';
  const actor = actorOf(requester);
  const now = ctx.clock.now();
  if (!ctx.anomaly.record(`${actor.type}:${actor.id}`, now)) return 'none';

  let reason = `Burst of refused requests from ${actor.type} ${actor.id}`;
  const suspender = ctx.gates.agentSuspender;
  if (requester.kind === 'agent' && suspender) {
    try {
      const suspendedNow = await suspender.suspend(requester.agentId, `Burst of refused requests (${ctx.anomaly.describeRule()})`);
      // Its pending requests leave the owner's queue and its grants go (each audited).
      if (suspendedNow) await ctx.withdrawAccess({ agentId: requester.agentId }, 'agent-suspended');
      const agents = suspendedNow ? ctx.anomaly.recordSuspension(requester.agentId, now) : 0;
      const threshold = ctx.config.anomaly.suspendedAgentsForLockdown ?? DEFAULT_SUSPENDED_AGENTS_FOR_LOCKDOWN;
      if (agents < threshold) return 'agent-suspended';
      reason = `Refusal bursts from ${agents} agents within the anomaly window (each suspended)`;
    } catch {
      reason = `Burst of refused requests from agent ${requester.agentId}, which could not be suspended`;
    }
  }
  if (ctx.lockdown.on) return 'lockdown';
  await ctx.setLockdown({ on: true, since: now, by: 'anomaly', reason }, { type: 'system', id: 'anomaly-detector' });
  return 'lockdown';
}
