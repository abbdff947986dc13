// The owner's memory writes from the window, over the open session's engine: a store as the
// owner (engine.store: its leaf, its level-4 TPM rule and level-5 key touch) and a label edit
// with the session's owner proof (engine.editLabels: one `memory.edit` leaf naming the fields).
import type { MemorySummaryDto } from '../../shared/memory.dto.js';
import type { EditLabelsRequest, StoreMemoryRequest } from '../../shared/memory-write.contract.js';
import type { DesktopBackend } from './desktop-backend.service.js';

const OWNER = { kind: 'owner', channel: 'desktop' } as const;

export class DesktopMemoryWrites {
  constructor(private readonly backend: DesktopBackend) {}

  store(req: StoreMemoryRequest): Promise<MemorySummaryDto> {
    const { namespace, tags, metadata, cooldownSeconds, ttlSeconds, ...required } = req;
    return this.backend.currentSession().engine.store(
      {
        ...required,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(tags !== undefined ? { tags } : {}),
        ...(metadata !== undefined ? { metadata } : {}),
        ...(cooldownSeconds !== undefined ? { cooldownSeconds } : {}),
        ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
      },
      OWNER,
    );
  }

  editLabels(req: EditLabelsRequest): Promise<MemorySummaryDto> {
    const session = this.backend.currentSession();
    const { memoryId, title, tags, metadata } = req;
    return session.engine.editLabels(
      {
        memoryId,
        ...(title !== undefined ? { title } : {}),
        ...(tags !== undefined ? { tags } : {}),
        ...(metadata !== undefined ? { metadata } : {}),
      },
      session.ownerProof(),
    );
  }
}
