// Audit browser: paged, filtered listing; full verification; proof-bundle export.
import { z } from 'zod';
import { memoryRefSchema } from '../core/common/ids.schema.js';
import { invokeContract, noArgs } from './contract.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const AUDIT_PAGE_MAX = 500;

export const auditFilterSchema = z
  .object({
    kind: z
      .string()
      .regex(/^[a-z]+\.[a-z]+$/)
      .optional(),
    actorId: z.string().min(1).max(128).optional(),
    outcome: z.enum(['ok', 'refused', 'error']).optional(),
    memoryId: memoryRefSchema.optional(),
    /** Time range, epoch milliseconds, both ends inclusive. */
    fromTs: z.number().int().min(0).optional(),
    toTs: z.number().int().min(0).optional(),
  })
  .strict();
export type AuditFilterDto = z.infer<typeof auditFilterSchema>;

export const auditEventSchema = z.object({
  seq: z.number().int().min(0),
  ts: z.string(),
  kind: z.string(),
  actor: z.object({ type: z.string(), id: z.string() }),
  outcome: z.string(),
  code: z.string().optional(),
  reason: z.string().optional(),
  memory: z.object({ id: z.string(), level: z.number(), commitment: z.string().optional() }).optional(),
  details: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
  leafHash: z.string(),
  /** Resolved by main beside the ids: the agent's name and the memory's title, where known. */
  actorName: z.string().optional(),
  memoryTitle: z.string().optional(),
});
export type AuditEventDto = z.infer<typeof auditEventSchema>;

export const auditPageSchema = z.object({
  events: z.array(auditEventSchema),
  /** Pass as `afterSeq` for the next oldest-first page; null when this page was the last (or the order is newest first). */
  nextAfterSeq: z.number().int().nullable(),
  /** Pass as `beforeSeq` for the next newest-first page; null when this page was the last (or the order is oldest first). */
  nextBeforeSeq: z.number().int().nullable(),
  total: z.number().int().min(0),
});
export type AuditPageDto = z.infer<typeof auditPageSchema>;
export type AuditOrder = 'oldest' | 'newest';

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  checkpoints: z.number().int(),
  verifiedCheckpointSize: z.number().int(),
  damage: z.object({ index: z.number().int(), kind: z.string(), detail: z.string() }).nullable(),
});
export type AuditVerificationDto = z.infer<typeof auditVerificationSchema>;

export const auditContracts = {
  list: invokeContract(
    'audit:list',
    z
      .object({
        filter: auditFilterSchema.optional(),
        afterSeq: z.number().int().min(-1).optional(),
        beforeSeq: z.number().int().min(0).optional(),
        /** 'oldest' (default) pages with afterSeq; 'newest' pages with beforeSeq. */
        order: z.enum(['oldest', 'newest']).optional(),
        limit: z.number().int().min(1).max(AUDIT_PAGE_MAX),
      })
      .strict(),
    auditPageSchema,
  ),
  verify: invokeContract('audit:verify', noArgs, auditVerificationSchema),
  /** Main chooses the destination (a save dialog in Electron); the renderer never names a path. */
  exportBundle: invokeContract(
    'audit:export-bundle',
    z.object({ filter: auditFilterSchema.optional() }).strict(),
    z.object({ saved: z.boolean(), path: z.string().nullable(), events: z.number().int() }),
  ),
} as const;
