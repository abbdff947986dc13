import type { Level } from '../levels.js';
import type { MemorySummary } from '../model/memory.js';
import type { Requester } from '../model/requester.js';
import type { UsePurpose } from '../secrets/use-purpose.js';

export interface ApprovalRequest {
  readonly requestId: string;
  readonly memory: MemorySummary;
  readonly level: Level;
  readonly requester: Requester;
  readonly justification: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Level 3 only: the owner may grant this agent+memory for up to 60 minutes. */
  readonly grantAllowed: boolean;
  /** Why the environment gate let this through, shown to the owner. */
  readonly environment: string;
  /** Present for a use (issue 19): the command the secret is resolved for, shown to the owner and bound into the digest. */
  readonly purpose?: UsePurpose;
  readonly signal?: AbortSignal;
}

export type ApprovalDecision =
  | { readonly outcome: 'approved'; readonly channel: string; readonly grantMinutes?: number }
  | { readonly outcome: 'denied'; readonly channel: string; readonly reason?: string }
  | { readonly outcome: 'expired' }
  /** `reason` is set when the vault cancelled the request (see ApprovalCancelReason); absent when the agent did. */
  | { readonly outcome: 'cancelled'; readonly reason?: ApprovalCancelReason }
  /** No owner channel is available: the recall is refused with APPROVAL_REQUIRED. */
  | { readonly outcome: 'unavailable' };

/**
 * Why the vault itself ended a pending request: its agent was revoked, its memory tombstoned,
 * or the vault went into lockdown. The recall then refuses with UNAUTHORIZED, TOMBSTONED or
 * LOCKDOWN (docs/AGENT-API.md), never with content.
 */
export type ApprovalCancelReason = 'agent-revoked' | 'agent-suspended' | 'memory-tombstoned' | 'lockdown';

/** What a cancellation predicate sees of a pending request. */
export interface PendingApprovalRef {
  readonly requestId: string;
  readonly requester: { readonly type: 'owner' | 'agent' | 'system'; readonly id: string };
  readonly memoryId: string;
}

/** An owner channel (desktop dialog, owner's terminal). Agents never reach an implementation. */
export interface ApprovalGate {
  requestApproval(request: ApprovalRequest): Promise<ApprovalDecision>;
  /**
   * End every pending request that `match` selects with outcome `cancelled` and `reason`; returns
   * how many. Optional: a gate that holds no requests (noApprover, a test approver) has none to end.
   */
  cancelPending?(match: (request: PendingApprovalRef) => boolean, reason: ApprovalCancelReason): number;
}

/** Deny by default: with no owner channel registered nothing that needs approval is released. */
export const noApprover: ApprovalGate = {
  requestApproval: () => Promise.resolve({ outcome: 'unavailable' }),
};
