// One entry of an agent's command allowlist: what the owner lets that agent run with secrets
// (issue 19 item 3). Invariant: an entry is fully explicit — an absolute executable (no PATH
// lookup), an exact argument pattern (command-pattern.ts), an absolute working directory, a
// time limit and the names of the environment variables that may carry a resolved secret —
// and it is parsed here, from the owner's input and again from every row read back.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../audit/canonical-json.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../text/terminal-text.js';
import { formatArgToken, parseArgPattern, type ArgToken } from './command-pattern.js';

export const MAX_COMMAND_TIMEOUT_MS = 60 * 60_000;
export const MAX_ENV_NAMES = 32;
/** POSIX portable names; the runner sets exactly these, nothing a loader would act on is special-cased here. */
export const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
/** Variables that change how a program is loaded or interpreted: never a secret's carrier. */
const LOADER_ENV = /^(?:LD_|DYLD_|NODE_OPTIONS$|PYTHON(?:PATH|STARTUP|HOME)$|PERL5?(?:LIB|OPT)$|RUBYOPT$|BASH_ENV$|ENV$|PATH$|IFS$)/;

export const AGENT_COMMAND_DIGEST_DOMAIN = 'memory-vault/agent-command/v1';

const absolutePath = (what: string) =>
  z
    .string()
    .min(1)
    .max(4096)
    .refine((p) => !p.includes('\u0000') && isPlainText(p), `${what}: ${PLAIN_TEXT_MESSAGE}`)
    .refine((p) => posix.isAbsolute(p), `${what} must be an absolute path (no PATH lookup)`)
    .refine(
      (p) => p === '/' || (posix.normalize(p) === p && !p.endsWith('/')),
      `${what} must be normalised (no "..", "." or doubled slashes)`,
    );

export const envNameSchema = z
  .string()
  .regex(ENV_NAME, 'environment names: A-Z, 0-9 and _, not starting with a digit')
  .refine((n) => !LOADER_ENV.test(n), 'this variable changes how programs load or run and cannot carry a secret');

/** What the owner gives (CLI, owner socket); `args` in the owner's pattern spelling. */
export const agentCommandInputSchema = z
  .object({
    exec: absolutePath('--exec'),
    args: z.array(z.string().max(4096)).max(64),
    cwd: absolutePath('--cwd'),
    timeoutMs: z.number().int().min(1000).max(MAX_COMMAND_TIMEOUT_MS),
    envNames: z.array(envNameSchema).max(MAX_ENV_NAMES),
  })
  .strict()
  .superRefine((v, ctx) => {
    const p = parseArgPattern(v.args);
    if ('error' in p) ctx.addIssue({ code: 'custom', path: ['args'], message: p.error });
    if (new Set(v.envNames).size !== v.envNames.length)
      ctx.addIssue({ code: 'custom', path: ['envNames'], message: 'an environment name is listed twice' });
  });

export type AgentCommandInput = z.output<typeof agentCommandInputSchema>;

/** What every form of an allowlist entry carries; they differ in how args and time are spelled. */
export interface AgentCommandFields {
  readonly id: string;
  readonly agentId: string;
  readonly exec: string;
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly envNames: readonly string[];
}

export interface AgentCommand extends AgentCommandFields {
  readonly args: readonly ArgToken[];
  readonly createdAt: number;
}

/** The entry as owner surfaces show and receive it (args in pattern spelling). */
export interface AgentCommandView extends AgentCommandFields {
  readonly args: readonly string[];
  readonly createdAt: string;
  /** agentCommandDigest: names the entry in audit leaves. */
  readonly digest: string;
}

export const agentCommandViewSchema = z
  .object({
    id: z.string().uuid(),
    agentId: z.string().max(64),
    exec: z.string().max(4096),
    args: z.array(z.string().max(4096)).max(64),
    cwd: z.string().max(4096),
    timeoutMs: z.number().int(),
    envNames: z.array(z.string().max(64)).max(MAX_ENV_NAMES),
    createdAt: z.string().max(64),
    digest: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

/** Parsed tokens of already-validated input (the schema refused a bad pattern). */
export function tokensOf(args: readonly string[]): readonly ArgToken[] {
  const p = parseArgPattern(args);
  if ('error' in p) throw new Error(`tokensOf: unvalidated pattern (${p.error})`);
  return p.tokens;
}

/**
 * SHA-256 over `domain || 0x00 || JCS(entry)` — the entry's executable, pattern, directory,
 * limit and variable names, not its id — so two entries allowing the same thing share a digest
 * and an auditor can tie a `memory.use` leaf's command back to the `command.allow` leaf.
 */
export function agentCommandDigest(c: Pick<AgentCommand, 'exec' | 'args' | 'cwd' | 'timeoutMs' | 'envNames'>): string {
  const body = { exec: c.exec, args: c.args.map(formatArgToken), cwd: c.cwd, timeoutMs: c.timeoutMs, envNames: [...c.envNames] };
  return createHash('sha256')
    .update(`${AGENT_COMMAND_DIGEST_DOMAIN}\u0000${canonicalJson(body)}`, 'utf8')
    .digest('hex');
}

export function viewOf(c: AgentCommand): AgentCommandView {
  return {
    id: c.id,
    agentId: c.agentId,
    exec: c.exec,
    args: c.args.map(formatArgToken),
    cwd: c.cwd,
    timeoutMs: c.timeoutMs,
    envNames: [...c.envNames],
    createdAt: new Date(c.createdAt).toISOString(),
    digest: agentCommandDigest(c),
  };
}
