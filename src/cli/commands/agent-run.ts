// `memory-vault run --token-file F --env NAME=mv://… -- cmd …` in agent mode (issue 19): the CLI
// is an agent of a running vault, not its owner. It never sees a value: the command goes to the
// server as `memory.use` (exec + argv, which must fit one of this agent's allowlist entries —
// COMMAND_NOT_ALLOWED otherwise), the server runs it with the secrets in its environment, and
// this process prints the masked output it got back and exits with the command's status.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { VaultError } from '../../core/errors.js';
import { AgentClient } from '../../node/agent-api/agent-client.js';
import type { UseAnswer } from '../../node/agent-api/use-method.js';
import { AGENT_SOCKET } from '../../node/agent-api/vault-server.js';
import type { SecretRequest } from '../../node/secrets/secret-resolver.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { emit } from '../io/output.js';
import type { GlobalOptions } from '../io/vault-access.js';

export interface AgentRunOptions {
  /** --token-file (read here) or the token itself (--token, or MEMORY_VAULT_TOKEN). */
  readonly token?: string;
  readonly tokenFile?: string;
  readonly socket?: string;
  readonly requests: readonly SecretRequest[];
  readonly command: readonly string[];
  readonly justification: string;
  /** How long to wait for the owner's approval of a level-3+ use. */
  readonly waitSeconds: number;
}

function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The absolute path the allowlist compares: as a shell would find it (a path, or a PATH lookup). */
export function resolveExecutable(name: string, pathVar = process.env.PATH ?? '', cwd = process.cwd()): string {
  if (name.includes('/')) return isAbsolute(name) ? resolve(name) : resolve(cwd, name);
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = resolve(join(dir, name));
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new VaultError('INVALID_INPUT', `${name}: no such executable on PATH.`);
}

function tokenOf(o: AgentRunOptions): string {
  if (o.tokenFile) {
    try {
      return readFileSync(o.tokenFile, 'utf8').trim();
    } catch {
      throw new VaultError('UNAUTHORIZED', 'The token file cannot be read.');
    }
  }
  const t = o.token ?? process.env.MEMORY_VAULT_TOKEN;
  if (!t) throw new VaultError('UNAUTHORIZED', 'Agent mode needs a token: --token-file, or MEMORY_VAULT_TOKEN.');
  return t;
}

const isAnswer = (r: { status: string }): r is UseAnswer => r.status === 'ok';

function bytesOf(s: UseAnswer['stdout']): Buffer {
  return 'text' in s ? Buffer.from(s.text, 'utf8') : Buffer.from(s.base64, 'base64');
}

export async function runAsAgent(g: GlobalOptions, o: AgentRunOptions): Promise<void> {
  const [name, ...argv] = o.command;
  if (name === undefined) throw new VaultError('INVALID_INPUT', 'Give the command after --.');
  const exec = resolveExecutable(name);
  const client = await AgentClient.connect({ socketPath: o.socket ?? join(resolveVaultDir(g.vault), AGENT_SOCKET), token: tokenOf(o) });
  try {
    const env = Object.fromEntries(o.requests.map((r) => [r.name, r.ref]));
    const first = await client.use(
      { command: { exec, argv }, env, ...(o.justification ? { justification: o.justification } : {}) },
      61 * 60_000,
    );
    let answer: { status: string } = first;
    if (first.status === 'pending') {
      if (!g.json) process.stderr.write(`memory-vault: waiting for the owner's approval (request ${first.requestId})…\n`);
      answer = (await client.wait(first.requestId, o.waitSeconds * 1000)) as { status: string };
      if (answer.status === 'pending')
        throw new VaultError('APPROVAL_REQUIRED', `The owner has not decided yet; request ${first.requestId} is still pending.`, {
          requestId: first.requestId,
        });
    }
    if (!isAnswer(answer)) throw new VaultError('INTERNAL', 'The vault answered memory.use with something unexpected.');
    const done = answer;
    if (g.json) emit(g, done, () => '');
    else {
      process.stdout.write(bytesOf(done.stdout));
      process.stderr.write(bytesOf(done.stderr));
    }
    process.exitCode = done.exitCode ?? 128;
  } finally {
    client.close();
  }
}
