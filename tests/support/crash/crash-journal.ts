// What the crash harness saw acknowledged, across every round: each entry is an operation the
// vault answered as done (to an agent over the socket, or to the owner inside the child, which
// printed it on its side channel) before the SIGKILL. After every kill each entry must still be
// there, state and audit leaf alike (crash-checks.ts).

export interface StoreAck {
  readonly id: string;
  readonly content: string;
}

export interface ApprovalAck {
  readonly requestId: string;
  readonly memoryId: string;
  /** true: the recall was approved and delivered; false: the agent heard APPROVAL_DENIED. */
  readonly approved: boolean;
}

export interface CrashJournal {
  /** Agent stores at levels 0–2 (the original harness's acks). */
  readonly stores: StoreAck[];
  /** Memories the owner stored inside the child (tombstone targets). */
  readonly ownerStores: StoreAck[];
  readonly tombstones: string[];
  /** Dead-man check-ins, by the deadline each returned (epoch ms). */
  readonly checkIns: number[];
  readonly approvals: ApprovalAck[];
  /** Level-3 recalls answered at once through a grant, by memory id. */
  readonly grantUses: string[];
  /** Key rotations that completed, by id and the fingerprint of the key they left the vault under. */
  readonly rotations: { readonly rotationId: string; readonly to: string }[];
  /** Things that must not happen while the child is alive: a `failed` line, an unexpected code. */
  readonly problems: string[];
}

export function emptyJournal(): CrashJournal {
  return { stores: [], ownerStores: [], tombstones: [], checkIns: [], approvals: [], grantUses: [], rotations: [], problems: [] };
}
