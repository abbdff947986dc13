// Pending approval requests and the owner's decisions. Invariant: the only way to approve or deny
// is `decide`, which the composition roots expose to owner channels only (the desktop renderer
// over IPC, the owner's terminal); agents can read the state of their own requests and cancel
// them, nothing else. Every request ends exactly once: approved, denied, expired or cancelled.
// A decision names the digest of the request the owner surface displayed; a decision whose digest
// is not that of the pending request it names is refused (APPROVAL_MISMATCH) and decides nothing.
import { VaultError } from '../errors.js';
import type { Level } from '../levels.js';
import type { MemorySummary } from '../model/memory.js';
import { actorOf, type OwnerChannel } from '../model/requester.js';
import type {
  ApprovalCancelReason,
  ApprovalDecision,
  ApprovalGate,
  ApprovalRequest,
  PendingApprovalRef,
} from '../ports/approval-gate.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { UsePurpose } from '../secrets/use-purpose.js';
import { approvalDigest, digestMatches } from './approval-digest.js';

export type ApprovalState = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';

/** What owner surfaces and the requesting agent may see: no content, no keys. */
export interface ApprovalView {
  readonly requestId: string;
  readonly state: ApprovalState;
  readonly memory: MemorySummary;
  readonly level: Level;
  readonly requester: { readonly type: 'owner' | 'agent' | 'system'; readonly id: string; readonly name: string };
  readonly justification: string;
  readonly environment: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly grantAllowed: boolean;
  readonly decidedBy: string | null;
  /** A use (issue 19): the command line and cwd the secret is for; absent for a recall. Bound into `digest`. */
  readonly purpose?: UsePurpose;
  /** approvalDigest of the fields above as displayed; an owner decision must carry it back. */
  readonly digest: string;
}

export type OwnerDecision =
  { readonly approve: true; readonly grantMinutes?: number } | { readonly approve: false; readonly reason?: string };

interface Entry {
  view: ApprovalView;
  resolve: (d: ApprovalDecision) => void;
  timer: NodeJS.Timeout | undefined;
}

type Listener = (view: ApprovalView) => void;

const KEEP_FINISHED = 1000;

export class ApprovalBroker implements ApprovalGate {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly clock: Clock) {}

  requestApproval(req: ApprovalRequest): Promise<ApprovalDecision> {
    const actor = actorOf(req.requester);
    const shown: Omit<ApprovalView, 'digest'> = {
      requestId: req.requestId,
      state: 'pending',
      memory: req.memory,
      level: req.level,
      requester: { ...actor, name: req.requester.kind === 'agent' ? req.requester.name : actor.id },
      justification: req.justification,
      environment: req.environment,
      createdAt: req.createdAt,
      expiresAt: req.expiresAt,
      grantAllowed: req.grantAllowed,
      decidedBy: null,
      ...(req.purpose ? { purpose: req.purpose } : {}),
    };
    const view: ApprovalView = { ...shown, digest: approvalDigest(shown) };
    return new Promise<ApprovalDecision>((resolve) => {
      const entry: Entry = { view, resolve, timer: undefined };
      this.entries.set(req.requestId, entry);
      const delay = Math.max(0, req.expiresAt - this.clock.now());
      entry.timer = setTimeout(() => this.finish(req.requestId, 'expired', null, { outcome: 'expired' }), delay);
      entry.timer.unref();
      req.signal?.addEventListener('abort', () => this.finish(req.requestId, 'cancelled', actor.id, { outcome: 'cancelled' }), {
        once: true,
      });
      this.emit(view);
    });
  }

  /** Owner channels only. `shownDigest` is the digest of the request the owner surface displayed. */
  decide(requestId: string, decision: OwnerDecision, channel: OwnerChannel, shownDigest: string): ApprovalView {
    const entry = this.entries.get(requestId);
    if (!entry) throw new VaultError('NOT_FOUND', 'No such approval request.');
    if (entry.view.state !== 'pending') throw new VaultError('INVALID_INPUT', `This request is already ${entry.view.state}.`);
    // Recomputed from the pending request itself, not read from the stored view, so the check
    // holds even if a view object were ever rebuilt with a stale digest.
    if (!digestMatches(entry.view, shownDigest)) {
      throw new VaultError(
        'APPROVAL_MISMATCH',
        'This decision was made about a different request than the one pending; nothing was decided.',
      );
    }
    if (this.clock.now() >= entry.view.expiresAt) {
      this.finish(requestId, 'expired', null, { outcome: 'expired' });
      throw new VaultError('APPROVAL_EXPIRED', 'This request expired before the decision.');
    }
    if (decision.approve) {
      const grantMinutes = entry.view.grantAllowed ? Math.max(0, Math.min(60, Math.floor(decision.grantMinutes ?? 0))) : 0;
      this.finish(requestId, 'approved', channel, { outcome: 'approved', channel, grantMinutes });
    } else {
      this.finish(requestId, 'denied', channel, { outcome: 'denied', channel, ...(decision.reason ? { reason: decision.reason } : {}) });
    }
    return this.view(requestId);
  }

  /** An agent may cancel its own pending request, nothing else. */
  cancel(requestId: string, requesterId: string): ApprovalView {
    const entry = this.entries.get(requestId);
    if (!entry || entry.view.requester.id !== requesterId) throw new VaultError('NOT_FOUND', 'No such approval request.');
    if (entry.view.state === 'pending') this.finish(requestId, 'cancelled', requesterId, { outcome: 'cancelled' });
    return this.view(requestId);
  }

  view(requestId: string): ApprovalView {
    const entry = this.entries.get(requestId);
    if (!entry) throw new VaultError('NOT_FOUND', 'No such approval request.');
    return entry.view;
  }

  pending(): ApprovalView[] {
    return [...this.entries.values()].filter((e) => e.view.state === 'pending').map((e) => e.view);
  }

  onDidChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Expire everything still pending (shutdown, lock). */
  expireAll(): void {
    for (const id of [...this.entries.keys()]) {
      if (this.entries.get(id)?.view.state === 'pending') this.finish(id, 'expired', null, { outcome: 'expired' });
    }
  }

  /**
   * The vault withdrew access (agent revoked, memory tombstoned, lockdown): every pending request
   * `match` selects ends as cancelled with `reason`, so its waiting recall refuses with that
   * reason's code at once. Returns how many ended. Not reachable from agents.
   */
  cancelPending(match: (request: PendingApprovalRef) => boolean, reason: ApprovalCancelReason): number {
    let n = 0;
    for (const [id, e] of [...this.entries]) {
      if (e.view.state !== 'pending') continue;
      if (!match({ requestId: id, requester: { type: e.view.requester.type, id: e.view.requester.id }, memoryId: e.view.memory.id }))
        continue;
      this.finish(id, 'cancelled', 'vault', { outcome: 'cancelled', reason });
      n++;
    }
    return n;
  }

  private finish(requestId: string, state: ApprovalState, decidedBy: string | null, decision: ApprovalDecision): void {
    const entry = this.entries.get(requestId);
    if (!entry || entry.view.state !== 'pending') return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.view = { ...entry.view, state, decidedBy };
    entry.resolve(decision);
    this.emit(entry.view);
    this.prune();
  }

  private prune(): void {
    if (this.entries.size <= KEEP_FINISHED) return;
    for (const [id, e] of this.entries) {
      if (e.view.state !== 'pending') this.entries.delete(id);
      if (this.entries.size <= KEEP_FINISHED) break;
    }
  }

  private emit(view: ApprovalView): void {
    for (const l of this.listeners) l(view);
  }
}
