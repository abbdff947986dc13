// Params of the agent methods of issue 19 ("secrets used, never seen"), registered in
// agent-protocol.ts's methodSchemas. Invariant: no params field carries a secret — an agent
// names memories by `mv://` reference and commands by allowlist entry; the answer schemas in
// use-method.ts carry only masked output, so no frame in either direction holds plaintext.
import { z } from 'zod';
import { ENV_NAME } from '../../core/allowlist/agent-command.js';
import { commandSpecSchema } from './command-allowlist.service.js';

const ref = z.string().min(1).max(4096).startsWith('mv://');
const fieldPath = z
  .array(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/))
  .min(1)
  .max(16);

/** `memory.handle`: by id (as list/search return it) or by reference; optional JSON field. */
export const handleParamsSchema = z.union([
  z.object({ memoryId: z.string().min(1).max(64), field: fieldPath.optional() }).strict(),
  z.object({ ref, field: fieldPath.optional() }).strict(),
]);

/** `memory.use`: an allowlisted command and NAME → reference bindings for its environment. */
export const useParamsSchema = z
  .object({
    command: commandSpecSchema,
    env: z
      .record(z.string().regex(ENV_NAME), ref)
      .refine((e) => Object.keys(e).length >= 1 && Object.keys(e).length <= 32, 'bind 1 to 32 environment variables'),
    justification: z.string().max(2000).optional(),
  })
  .strict();

export type HandleParams = z.output<typeof handleParamsSchema>;
export type UseParams = z.output<typeof useParamsSchema>;
