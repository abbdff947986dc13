// Branded ids. Invariant: a `MemoryId`, `AgentId`, `ApprovalRequestId` or `GrantId` exists only
// because a schema here accepted it (at a boundary, or when the vault mints or reads back an id),
// never because a string was cast. Core ports that take a `MemoryId` therefore never see a short
// id, a path or an agent's free text where a full id belongs.
import { z } from 'zod';
import { isWellFormedText } from './well-formed.js';

/** Every id the vault mints is a random (v4) UUID; zod's UUID check is RFC 9562's grammar. */
const uuid = () => z.string().uuid();

export const memoryIdSchema = uuid().brand<'MemoryId'>();
export type MemoryId = z.output<typeof memoryIdSchema>;

export const agentIdSchema = uuid().brand<'AgentId'>();
export type AgentId = z.output<typeof agentIdSchema>;

/** The id of an owner-approval request (not a JSON-RPC frame id). */
export const approvalRequestIdSchema = uuid().brand<'ApprovalRequestId'>();
export type ApprovalRequestId = z.output<typeof approvalRequestIdSchema>;

export const grantIdSchema = uuid().brand<'GrantId'>();
export type GrantId = z.output<typeof grantIdSchema>;

/** Upper bound of every id-or-prefix reference a caller may type (a UUID is 36). */
export const MAX_REF_CHARS = 64;

/**
 * A memory as an agent or the owner names it: a full id or a short-id prefix (`shortIdOf`). The
 * engine resolves it; anything unknown — including text that could not be an id — is NOT_FOUND
 * there, so probing with odd strings learns nothing a wrong id would not (MCP e2e pins that).
 */
export const memoryRefSchema = z
  .string()
  .min(1)
  .max(MAX_REF_CHARS)
  .refine(isWellFormedText, 'contains a lone surrogate (not well-formed Unicode)');

/** An agent as the owner names it on the CLI or owner socket: its id or its name. */
export const agentRefSchema = z
  .string()
  .min(1)
  .max(MAX_REF_CHARS)
  .refine(isWellFormedText, 'contains a lone surrogate (not well-formed Unicode)');

export function parseMemoryId(value: unknown): MemoryId | undefined {
  const r = memoryIdSchema.safeParse(value);
  return r.success ? r.data : undefined;
}
