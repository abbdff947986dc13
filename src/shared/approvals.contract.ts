// Owner approvals. `decide` is the only approve/deny verb in the whole app and it exists only on
// this owner channel; agents never reach it (DESIGN §3).
import { z } from 'zod';
import { approvalDecisionSchema, approvalDigestSchema, MAX_GRANT_MINUTES } from '../core/common/approval-input.schema.js';
import { eventContract, invokeContract, noArgs } from './contract.js';
import { levelSchema, memorySummarySchema } from './memory.dto.js';

/** Defined once in core/common (the owner socket uses the same objects). */
export { approvalDigestSchema, MAX_GRANT_MINUTES };

export const approvalSchema = z.object({
  requestId: z.string(),
  state: z.enum(['pending', 'approved', 'denied', 'expired', 'cancelled']),
  memory: memorySummarySchema,
  level: levelSchema,
  requester: z.object({ type: z.enum(['owner', 'agent', 'system']), id: z.string(), name: z.string() }),
  justification: z.string(),
  environment: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  grantAllowed: z.boolean(),
  decidedBy: z.string().nullable(),
  digest: approvalDigestSchema,
  /** Issue 19: a use request names the exact command its secret is resolved for (argv, executable first). */
  purpose: z
    .object({
      kind: z.literal('use'),
      commandLine: z.array(z.string().max(4096)).min(1).max(256).readonly(),
      cwd: z.string().max(4096),
      commandDigest: z.string().regex(/^[0-9a-f]{64}$/),
    })
    .strict()
    .optional(),
});
export type ApprovalDto = z.infer<typeof approvalSchema>;

export const approvalsContracts = {
  list: invokeContract('approvals:list', noArgs, z.array(approvalSchema)),
  decide: invokeContract(
    'approvals:decide',
    // The digest is the one of the DTO the window displayed: a decision is bound to what was shown.
    approvalDecisionSchema,
    approvalSchema,
  ),
} as const;

/** Pushed by main whenever a request appears or ends. */
export const approvalsChangedEvent = eventContract('approvals:did-change', z.object({ request: approvalSchema }));
