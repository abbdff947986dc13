// Wiring anchoring into an open vault: wrap whatever witness is attached (a directory witness,
// or none) so every new checkpoint is also queued for the anchor. Shells call this once after
// unlock when anchoring is wanted (e.g. `serve`); the `anchor` CLI commands use it too.
import type { CheckpointAnchor } from '../../core/integrations/anchoring/checkpoint-anchor.port.js';
import type { VaultSession } from '../vault/vault-session.js';
import { AnchorStore } from './anchor-store.js';
import { AnchoringWitness } from './anchoring-witness.js';

export function installAnchoring(
  session: VaultSession,
  anchor: CheckpointAnchor,
  options: { background?: boolean; now?: () => number } = {},
): AnchoringWitness {
  const log = session.engine.auditLog;
  const current = log.checkpointer.witness;
  const inner = current instanceof AnchoringWitness ? current.inner : current;
  const witness = new AnchoringWitness({
    inner,
    store: new AnchorStore(session.tables.anchorReceipts),
    anchor,
    checkpointNote: (size) => session.reads.checkpointAt(size)?.note,
    ...options,
  });
  log.attachWitness(witness);
  return witness;
}

/** Queue the newest signed checkpoint (signing the head first), e.g. for `anchor retry`. */
export async function queueLatestCheckpoint(session: VaultSession, anchor: CheckpointAnchor): Promise<number> {
  const latest = await session.engine.auditLog.checkpointNow();
  if (latest.size > 0) new AnchorStore(session.tables.anchorReceipts).enqueue(anchor.name, latest.size, Date.now());
  return latest.size;
}
