// The owner's inbox: what became of recent requests — approved and released (to whom), denied,
// expired, cancelled, refused by the environment before any dialog, or failed at the security
// key after approval. Read from the signed audit log (the source of truth, so it survives a
// restart); the window re-reads it when main reports an audit change. Titles follow the
// notification rule: level ≥ 3 only when the owner opted in.
import { z } from 'zod';
import { invokeContract } from './contract.js';
import { levelSchema } from './memory.dto.js';

export const INBOX_OUTCOMES = ['released', 'approved', 'denied', 'expired', 'cancelled', 'refused', 'failed'] as const;
export const inboxOutcomeSchema = z.enum(INBOX_OUTCOMES);
export type InboxOutcome = z.infer<typeof inboxOutcomeSchema>;

export const inboxEntrySchema = z
  .object({
    /** The approval request's id, or `seq-<n>` for a refusal that never became a request. */
    id: z.string().max(100),
    /** Audit position of the entry's last event: newer entries have larger ones. */
    seq: z.number().int().min(0),
    /** ISO time of that event. */
    at: z.string(),
    outcome: inboxOutcomeSchema,
    requester: z
      .object({
        type: z.string().max(20),
        id: z.string().max(200),
        /** The agent's registered name (null when it no longer resolves); "You" for the owner. */
        name: z.string().max(200).nullable(),
      })
      .strict(),
    memory: z
      .object({
        id: z.string().max(100),
        shortId: z.string().max(64),
        level: levelSchema,
        title: z.string().max(500).nullable(),
      })
      .strict()
      .nullable(),
    /** Which owner channel decided (desktop, cli, …), when one did. */
    decidedBy: z.string().max(100).nullable(),
    code: z.string().max(64).nullable(),
    reason: z.string().max(2000).nullable(),
  })
  .strict();
export type InboxEntryDto = z.infer<typeof inboxEntrySchema>;

export const INBOX_MAX = 200;

export const inboxContracts = {
  list: invokeContract(
    'inbox:list',
    z.object({ limit: z.number().int().min(1).max(INBOX_MAX).optional() }).strict(),
    z.array(inboxEntrySchema),
  ),
} as const;
