// Stored audit records → the DTO the audit browser shows. The leaf JSON is the signed event
// itself (no plaintext by construction, see core/events/audit-event.ts); we re-parse it instead
// of trusting its shape.
import { z } from 'zod';
import type { StoredAuditRecord } from '../../core/ports/vault-repository.port.js';
import { auditEventSchema, type AuditEventDto } from '../../shared/audit.contract.js';

const leafSchema = auditEventSchema.omit({ leafHash: true }).extend({ v: z.literal(1) });

export function toAuditEventDto(record: StoredAuditRecord): AuditEventDto {
  const leaf = leafSchema.parse(JSON.parse(record.json));
  const { v: _v, ...event } = leaf;
  return { ...event, seq: record.seq, leafHash: record.leafHash.toString('hex') };
}
