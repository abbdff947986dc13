// Agents and their bearer tokens, managed by the owner. Invariant: a token crosses the bridge
// exactly once, in the reply to `create`; the agent DTO has no field that could carry it (and
// main parses every reply against these schemas, so an extra field would be stripped).
import { z } from 'zod';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../core/text/terminal-text.js';
import { invokeContract, noArgs } from './contract.js';
import { levelSchema } from './memory.dto.js';

export const AGENT_EXPIRY_MAX_DAYS = 3650;
export const AGENT_NAMESPACES_MAX = 64;

/**
 * The same rules as `memory-vault agent add` and the owner socket (owner-protocol.ts). The owner
 * reads agent names when deciding, so the terminal-text predicate holds even if the character
 * set is ever widened.
 */
export const agentNameSchema = z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, _ . - (max 64)').refine(isPlainText, PLAIN_TEXT_MESSAGE);
export const agentNamespaceSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'namespace: letters, digits, . _ - (max 64)');

/** 'suspended': a burst of refused requests stopped this agent until the owner resumes it. */
export const agentStateSchema = z.enum(['active', 'revoked', 'expired', 'suspended']);
export type AgentState = z.infer<typeof agentStateSchema>;

export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  maxLevel: levelSchema,
  /** null = every namespace. */
  namespaces: z.array(z.string()).readonly().nullable(),
  state: agentStateSchema,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  suspendedAt: z.string().nullable(),
  /** Written by the vault (the anomaly rule that fired), not by the agent. */
  suspendedReason: z.string().nullable(),
});
export type AgentDto = z.infer<typeof agentSchema>;

/** `mvt_` + 32 random bytes in base64url (agent-registry.ts). */
export const agentTokenSchema = z.string().regex(/^mvt_[A-Za-z0-9_-]{43}$/);

export const createdAgentSchema = z.object({ agent: agentSchema, token: agentTokenSchema });
export type CreatedAgentDto = z.infer<typeof createdAgentSchema>;

export const createAgentSchema = z
  .object({
    name: agentNameSchema,
    maxLevel: levelSchema,
    /** Omitted = every namespace. An empty list would be an agent that can reach nothing. */
    namespaces: z
      .array(agentNamespaceSchema)
      .min(1)
      .max(AGENT_NAMESPACES_MAX)
      .refine((list) => new Set(list).size === list.length, 'namespaces must be distinct')
      .optional(),
    /** Omitted = the token never expires. */
    expiresInDays: z.number().int().min(1).max(AGENT_EXPIRY_MAX_DAYS).optional(),
  })
  .strict();
export type CreateAgentInput = z.input<typeof createAgentSchema>;

export const agentsContracts = {
  list: invokeContract('agents:list', noArgs, z.array(agentSchema)),
  create: invokeContract('agents:create', createAgentSchema, createdAgentSchema),
  /** Takes effect on the agent's next call, even over a connection it already opened; ends its pending requests and grants. */
  revoke: invokeContract('agents:revoke', z.object({ agentId: z.string().uuid() }).strict(), agentSchema),
  /** Lift a suspension (audited as agent.resume); resuming an agent that is not suspended changes nothing. */
  resume: invokeContract('agents:resume', z.object({ agentId: z.string().uuid() }).strict(), agentSchema),
} as const;
