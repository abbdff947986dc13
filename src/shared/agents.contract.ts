// Agents and their bearer tokens, managed by the owner. Invariant: a token crosses the bridge
// exactly once, in the reply to `create`; the agent DTO has no field that could carry it (and
// main parses every reply against these schemas, so an extra field would be stripped).
import { z } from 'zod';
import {
  AGENT_EXPIRY_MAX_DAYS,
  AGENT_NAMESPACES_MAX,
  agentExpiryDaysSchema,
  agentNameSchema,
  agentNamespaceSchema,
  agentNamespacesSchema,
  agentTokenSchema,
} from '../core/common/agent-input.schema.js';
import { agentIdSchema } from '../core/common/ids.schema.js';
import { invokeContract, noArgs } from './contract.js';
import { levelSchema } from './memory.dto.js';

/** The same rules as `memory-vault agent add` and the owner socket: one definition in core/common. */
export { AGENT_EXPIRY_MAX_DAYS, AGENT_NAMESPACES_MAX, agentNameSchema, agentNamespaceSchema, agentTokenSchema };

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

export const createdAgentSchema = z.object({ agent: agentSchema, token: agentTokenSchema });
export type CreatedAgentDto = z.infer<typeof createdAgentSchema>;

export const createAgentSchema = z
  .object({
    name: agentNameSchema,
    maxLevel: levelSchema,
    /** Omitted = every namespace. An empty list would be an agent that can reach nothing. */
    namespaces: agentNamespacesSchema.optional(),
    /** Omitted = the token never expires. */
    expiresInDays: agentExpiryDaysSchema.optional(),
  })
  .strict();
export type CreateAgentInput = z.input<typeof createAgentSchema>;

export const agentsContracts = {
  list: invokeContract('agents:list', noArgs, z.array(agentSchema)),
  create: invokeContract('agents:create', createAgentSchema, createdAgentSchema),
  /** Takes effect on the agent's next call, even over a connection it already opened; ends its pending requests and grants. */
  revoke: invokeContract('agents:revoke', z.object({ agentId: agentIdSchema }).strict(), agentSchema),
  /** Lift a suspension (audited as agent.resume); resuming an agent that is not suspended changes nothing. */
  resume: invokeContract('agents:resume', z.object({ agentId: agentIdSchema }).strict(), agentSchema),
} as const;
