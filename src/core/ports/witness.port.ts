// A checkpoint witness keeps copies of signed checkpoints outside the vault (a USB stick, a
// synced folder, a remote anchor). A self-signed log cannot show on its own that its newest
// entries were cut off or that an old copy was put back; a witness that only moves forward can.

export interface CheckpointWitness {
  /** Human-readable place, shown in errors ("directory /media/usb/mv-witness"). */
  readonly description: string;
  /** The newest signed checkpoint this witness holds for `origin`, verbatim, or null. */
  latest(origin: string): string | null;
  /** Record a signed checkpoint. Must never move the witness's latest backwards. */
  record(origin: string, size: number, signedNote: string): void;
}
