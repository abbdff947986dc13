// The purpose of a "use" request: the command a secret is resolved for. Invariant: the command
// digest is a function of (argv, cwd) only, computed here and re-verified by the recall pipeline,
// so a grant or an approval bound to one command line never covers another; the purpose carries
// the command line as shown to the owner and never a secret value (values go to the child's
// environment or a 0600 file, never argv).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../audit/canonical-json.js';
import { VaultError } from '../errors.js';

/** Domain separation: never confused with an approval digest, an audit leaf or a content hash. */
export const COMMAND_DIGEST_DOMAIN = 'memory-vault/command-digest/v1';

/** Caps on what a purpose may carry (the owner must be able to read it in one dialog). */
export const MAX_COMMAND_ARGS = 256;
export const MAX_COMMAND_ARG_CHARS = 4096;
export const MAX_CWD_CHARS = 4096;

/** What a use grant binds: the exact argv (executable first) and the working directory. */
export interface CommandTemplate {
  readonly commandLine: readonly string[];
  readonly cwd: string;
}

export interface UsePurpose {
  readonly kind: 'use';
  readonly commandLine: readonly string[];
  readonly cwd: string;
  /** commandDigest({ commandLine, cwd }); lower-case hex SHA-256. */
  readonly commandDigest: string;
}

const noNul = (s: string) => !s.includes('\u0000');

const commandLineSchema = z
  .array(z.string().max(MAX_COMMAND_ARG_CHARS).refine(noNul, 'NUL in an argument'))
  .min(1)
  .max(MAX_COMMAND_ARGS)
  .refine((a) => (a[0] ?? '').length > 0, 'empty executable');
const cwdSchema = z
  .string()
  .min(1)
  .max(MAX_CWD_CHARS)
  .refine(noNul, 'NUL in cwd')
  .refine((s) => s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s), 'cwd must be absolute');

/** A purpose as it arrives in a DTO (owner socket, IPC): parsed, never cast; the digest must match. */
export const usePurposeSchema = z
  .object({
    kind: z.literal('use'),
    commandLine: commandLineSchema,
    cwd: cwdSchema,
    commandDigest: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict()
  .refine((p) => p.commandDigest === commandDigest(p), 'commandDigest does not match the command line');

/** SHA-256 over `domain || 0x00 || JCS({ argv, cwd })`, lower-case hex. */
export function commandDigest(t: CommandTemplate): string {
  return createHash('sha256')
    .update(`${COMMAND_DIGEST_DOMAIN}\u0000${canonicalJson({ argv: [...t.commandLine], cwd: t.cwd })}`, 'utf8')
    .digest('hex');
}

/** Build (and validate) the purpose of running `commandLine` in `cwd`. INVALID_INPUT if malformed. */
export function usePurpose(commandLine: readonly string[], cwd: string): UsePurpose {
  const args = commandLineSchema.safeParse([...commandLine]);
  const dir = cwdSchema.safeParse(cwd);
  if (!args.success)
    throw new VaultError('INVALID_INPUT', `The command line is not usable: ${args.error.issues[0]?.message ?? 'invalid'}.`);
  if (!dir.success)
    throw new VaultError('INVALID_INPUT', `The working directory is not usable: ${dir.error.issues[0]?.message ?? 'invalid'}.`);
  return {
    kind: 'use',
    commandLine: [...args.data],
    cwd: dir.data,
    commandDigest: commandDigest({ commandLine: args.data, cwd: dir.data }),
  };
}

/** Whether `p` is well formed and its digest is the digest of its own command line. */
export function purposeIsConsistent(p: UsePurpose): boolean {
  return usePurposeSchema.safeParse(p).success;
}
