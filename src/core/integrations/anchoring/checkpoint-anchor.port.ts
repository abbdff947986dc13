// A public place that timestamps the log's signed checkpoints (NatLangChain, or any other
// ledger). Invariant: an anchor is given the signed checkpoint text and nothing else — never
// content, titles or events; a checkpoint is a root hash, a size and the vault's signature.

export interface AnchorPublication {
  /** The anchor's id for the entry (NatLangChain `entry_id`). */
  readonly entryId: string;
  /** Facts the anchor returned, kept verbatim in the receipt (JSON scalars only). */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

export type AnchorInclusion =
  | { readonly included: false }
  | {
      readonly included: true;
      readonly blockHash: string;
      readonly blockHeight: number;
      readonly merkleProof: readonly string[];
      readonly timestamp: string;
    };

export interface AnchorHealth {
  readonly reachable: boolean;
  readonly detail: string;
}

export interface CheckpointAnchor {
  /** Stable name stored with receipts ("natlangchain http://localhost:8000"). */
  readonly name: string;
  publish(signedCheckpoint: string): Promise<AnchorPublication>;
  inclusion(entryId: string): Promise<AnchorInclusion>;
  health(): Promise<AnchorHealth>;
}

export class AnchorUnavailableError extends Error {
  override readonly name = 'AnchorUnavailableError';
}
