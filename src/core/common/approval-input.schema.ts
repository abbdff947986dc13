// The owner's decision on an approval request and the agent's wait for one, with their limits
// written once for the desktop (IPC), the owner socket, the agent socket and MCP.
import { z } from 'zod';
import { approvalRequestIdSchema } from './ids.schema.js';

/** A level-3 approval may leave a grant for at most an hour (DESIGN §3). */
export const MAX_GRANT_MINUTES = 60;
/** The longest a single request.wait (or MCP request_status) call blocks. */
export const MAX_WAIT_MS = 300_000;
export const MAX_LOCKDOWN_REASON_CHARS = 500;

export const grantMinutesSchema = z.number().int().min(0).max(MAX_GRANT_MINUTES);

/** Lower-case hex SHA-256 of the request as displayed (core approval-digest); decide must carry it. */
export const approvalDigestSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** The owner's decision, as the desktop and the owner socket both send it. */
export const approvalDecisionSchema = z
  .object({
    requestId: approvalRequestIdSchema,
    approve: z.boolean(),
    grantMinutes: grantMinutesSchema.optional(),
    /** The digest of the request as displayed: a decision is bound to what was shown. */
    digest: approvalDigestSchema,
  })
  .strict();

export const waitMsSchema = z.number().int().min(0).max(MAX_WAIT_MS);
/** The same bound in the seconds MCP clients give (`wait_seconds`). */
export const waitSecondsSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_WAIT_MS / 1000);

export const lockdownReasonSchema = z.string().max(MAX_LOCKDOWN_REASON_CHARS);
