import type { Level } from '../levels.js';
import type { MemorySummary } from '../model/memory.js';
import type { Requester } from '../model/requester.js';

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
  readonly signal?: AbortSignal;
}

export type ApprovalDecision =
  | { readonly outcome: 'approved'; readonly channel: string; readonly grantMinutes?: number }
  | { readonly outcome: 'denied'; readonly channel: string; readonly reason?: string }
  | { readonly outcome: 'expired' }
  | { readonly outcome: 'cancelled' }
  /** No owner channel is available: the recall is refused with APPROVAL_REQUIRED. */
  | { readonly outcome: 'unavailable' };

/** An owner channel (desktop dialog, owner's terminal). Agents never reach an implementation. */
export interface ApprovalGate {
  requestApproval(request: ApprovalRequest): Promise<ApprovalDecision>;
}

/** Deny by default: with no owner channel registered nothing that needs approval is released. */
export const noApprover: ApprovalGate = {
  requestApproval: () => Promise.resolve({ outcome: 'unavailable' }),
};
