// Anchoring as a checkpoint witness: every checkpoint the vault signs is queued in
// anchor_receipts (a fast local insert, so recalls never wait on the network) and a background
// pass publishes it, retrying with backoff until the anchor accepts it, then asks for the
// anchor's inclusion proof. The wrapped witness (a directory, or none) keeps its role for
// rollback detection; the anchor is write-only and never consulted by `latest`.
import { anchorRetryDelayMs } from '../../core/integrations/anchoring/backoff.js';
import type { CheckpointAnchor } from '../../core/integrations/anchoring/checkpoint-anchor.port.js';
import type { CheckpointWitness } from '../../core/ports/witness.port.js';
import type { AnchorStore } from './anchor-store.js';

export interface AnchoringWitnessOptions {
  readonly inner: CheckpointWitness | null;
  readonly store: AnchorStore;
  readonly anchor: CheckpointAnchor;
  /** The signed checkpoint of a given size, from the vault's checkpoints table. */
  readonly checkpointNote: (size: number) => string | undefined;
  readonly now?: () => number;
  /** Post in the background as checkpoints arrive (default true); false = only on `pass()`. */
  readonly background?: boolean;
}

export interface AnchorPassResult {
  readonly posted: number;
  readonly failed: number;
  readonly anchored: number;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : 'anchor error').slice(0, 300);

export class AnchoringWitness implements CheckpointWitness {
  readonly description: string;
  private chain: Promise<unknown> = Promise.resolve();
  private queued = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly opts: AnchoringWitnessOptions) {
    this.now = opts.now ?? Date.now;
    this.description = opts.inner ? `${opts.inner.description}, anchored at ${opts.anchor.name}` : `anchor ${opts.anchor.name}`;
  }

  get inner(): CheckpointWitness | null {
    return this.opts.inner;
  }

  latest(origin: string): string | null {
    return this.opts.inner?.latest(origin) ?? null;
  }

  record(origin: string, size: number, signedNote: string): void {
    if (!this.stopped) {
      this.opts.store.enqueue(this.opts.anchor.name, size, this.now());
      if (this.opts.background !== false) this.kick();
    }
    this.opts.inner?.record(origin, size, signedNote);
  }

  /** Queue one background pass (coalesced); errors are kept in the rows, never thrown here. */
  private kick(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    this.chain = this.chain.then(() => {
      this.queued = false;
      return this.runPass().catch(() => undefined);
    });
  }

  /** Wait until the background work queued so far has finished. */
  async idle(): Promise<void> {
    await this.chain;
  }

  /** Post what is due and check what was posted; serialized with background passes. */
  pass(): Promise<AnchorPassResult> {
    const p = this.chain.then(() => this.runPass());
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** `anchor retry`: forget the backoff and try everything now. */
  retryNow(): Promise<AnchorPassResult> {
    if (!this.stopped) this.opts.store.resetBackoff();
    return this.pass();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async runPass(): Promise<AnchorPassResult> {
    const { store, anchor } = this.opts;
    let posted = 0;
    let failed = 0;
    let anchored = 0;
    if (this.stopped) return { posted, failed, anchored };
    for (const row of store.due(anchor.name, this.now())) {
      const note = this.opts.checkpointNote(row.checkpointSize);
      try {
        if (note === undefined) throw new Error(`checkpoint ${row.checkpointSize} is not stored`);
        const publication = await anchor.publish(note);
        if (this.stopped) break;
        store.markPosted(row.id, {
          entryId: publication.entryId,
          postedAt: new Date(this.now()).toISOString(),
          details: publication.details,
        });
        posted++;
      } catch (e) {
        if (this.stopped) break;
        store.markFailed(row.id, messageOf(e), this.now() + anchorRetryDelayMs(row.attempts + 1));
        failed++;
      }
    }
    for (const row of this.stopped ? [] : store.withStatus(anchor.name, 'posted')) {
      if (!row.receipt.entryId) continue;
      try {
        const inc = await anchor.inclusion(row.receipt.entryId);
        if (this.stopped) break;
        if (inc.included) {
          const { included: _included, ...proof } = inc;
          store.markAnchored(row.id, {
            ...row.receipt,
            inclusion: { ...proof, merkleProof: [...proof.merkleProof], checkedAt: new Date(this.now()).toISOString() },
          });
          anchored++;
        }
      } catch {
        // Not mined yet or unreachable: asked again on the next pass.
      }
    }
    this.armTimer();
    return { posted, failed, anchored };
  }

  private armTimer(): void {
    if (this.stopped || this.opts.background === false) return;
    const next = this.opts.store.nextRetryAt(this.opts.anchor.name);
    if (next === null) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.kick();
      },
      Math.max(0, next - this.now()),
    );
    this.timer.unref();
  }
}
