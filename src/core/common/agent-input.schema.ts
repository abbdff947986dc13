// The fields the owner gives when creating an agent, written once for the desktop (IPC), the
// owner socket and `memory-vault agent add`. The owner reads agent names when deciding, so the
// terminal-text predicate holds even if the character set is ever widened.
import { z } from 'zod';
import { namespaceSchema } from './memory-input.schema.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from './terminal-text.js';

export const AGENT_NAME_MAX_CHARS = 64;
export const AGENT_NAMESPACES_MAX = 64;
export const AGENT_EXPIRY_MAX_DAYS = 3650;

export const agentNameSchema = z
  .string()
  .regex(/^[\w.-]{1,64}$/, 'letters, digits, _ . - (max 64)')
  .refine(isPlainText, PLAIN_TEXT_MESSAGE);

/** Alias kept for the contract's name: an agent's namespaces are memory namespaces. */
export const agentNamespaceSchema = namespaceSchema;

/** A list of namespaces an agent may reach. An empty list would be an agent that can reach nothing. */
export const agentNamespacesSchema = z
  .array(agentNamespaceSchema)
  .min(1)
  .max(AGENT_NAMESPACES_MAX)
  .refine((list) => new Set(list).size === list.length, 'namespaces must be distinct');

export const agentExpiryDaysSchema = z.number().int().min(1).max(AGENT_EXPIRY_MAX_DAYS);

/** `mvt_` + 32 random bytes in base64url (agent-registry.ts). */
export const agentTokenSchema = z.string().regex(/^mvt_[A-Za-z0-9_-]{43}$/);
