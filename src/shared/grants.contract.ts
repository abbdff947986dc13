// Level-3 grants ("let this agent recall this memory for N minutes"), listed and revoked by the
// owner in the desktop window. Main parses every reply against these schemas; no content or key
// ever appears here — an agent, a memory id, a level and two times.
import { z } from 'zod';
import { grantIdSchema } from '../core/common/ids.schema.js';
import { invokeContract, noArgs } from './contract.js';
import { levelSchema } from './memory.dto.js';

export const grantDtoSchema = z.object({
  grantId: z.string().uuid(),
  holderType: z.enum(['owner', 'agent', 'system']),
  holderId: z.string(),
  /** The agent's name as the registry had it when the grant was made (agent-written text). */
  holderName: z.string(),
  memoryId: z.string(),
  level: levelSchema,
  grantedAt: z.number().int(),
  expiresAt: z.number().int(),
  grantedVia: z.string(),
  /** Issue 19: a use-only grant covers this one command line (argv, executable first) in this directory, never recall. */
  useCommand: z
    .object({ commandLine: z.array(z.string().max(4096)).max(256).readonly(), cwd: z.string().max(4096) })
    .strict()
    .nullable()
    .optional(),
});
export type GrantDto = z.infer<typeof grantDtoSchema>;

export const grantsContracts = {
  list: invokeContract('grants:list', noArgs, z.array(grantDtoSchema)),
  revoke: invokeContract('grants:revoke', z.object({ grantId: grantIdSchema }).strict(), grantDtoSchema),
} as const;
