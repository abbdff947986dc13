// `memory-vault run`, `inject` and `ref` for the owner (issue 19: secrets used, never seen).
// Invariants: a referenced value reaches the command only through its environment (run) or a
// 0600 file whose path it is given (inject) — never argv; the command's output reaches this
// terminal only through the masker; each value is resolved through the recall pipeline as a use
// (`memory.use` leaf with the command digest; levels ≥ 3 ask on this terminal, level 5 touches
// the key), and the vault is closed again before the command starts, so a long command does not
// hold the vault. The exit code of `run`/`inject` is the command's own.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { VaultError } from '../../core/errors.js';
import type { Requester } from '../../core/model/requester.js';
import { memoryRefOf, memoryTitleRefOf, parseFieldSelector, parseMemoryRef } from '../../core/secrets/memory-ref.js';
import { parseInjectTemplate, renderInjectTemplate } from '../../core/secrets/inject-template.js';
import { usePurpose } from '../../core/secrets/use-purpose.js';
import type { SecretValue } from '../../core/secrets/secret-value.js';
import { INJECT_FILE_ENV, INJECT_PATH_ARG, injectAndRun } from '../../node/secrets/secret-inject.js';
import { runWithSecrets, type SecretRunResult } from '../../node/secrets/secret-runner.js';
import { resolveSecrets, wipeAll, type ResolvedSecret, type SecretRequest } from '../../node/secrets/secret-resolver.js';
import { emit } from '../io/output.js';
import { withVault, type GlobalOptions } from '../io/vault-access.js';
import { intOption, run } from './run.js';
import { runAsAgent, type AgentRunOptions } from './agent-run.js';

const OWNER: Requester = { kind: 'owner', channel: 'cli' };

/** The vault's own credential sources never reach the command (it could open the vault with them). */
const WITHHELD_ENV = /^MEMORY_VAULT_(PASSPHRASE|TPM_PIN|FIDO2_PIN|TOKEN)/;

const collect = (v: string, acc: string[]) => [...acc, v];

/** `NAME=mv://…` → a request; INVALID_INPUT otherwise (the text is not echoed: it may be a pasted value). */
export function parseEnvBinding(text: string): SecretRequest {
  const i = text.indexOf('=');
  const name = i > 0 ? text.slice(0, i) : '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new VaultError('INVALID_INPUT', '--env expects NAME=mv://<namespace>/<id>[#field], NAME being letters, digits and _.');
  const ref = text.slice(i + 1);
  if (!ref.startsWith('mv://'))
    throw new VaultError('INVALID_INPUT', `--env ${name}= must be an mv:// reference, not a value (values never go on a command line).`);
  parseMemoryRef(ref);
  return { name, ref };
}

function childEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!WITHHELD_ENV.test(k)) env[k] = v;
  return env;
}

/** 128 + signal number, as a shell reports a command killed by a signal. */
const SIGNAL_EXIT: Readonly<Record<string, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGQUIT: 131,
  SIGKILL: 137,
  SIGSEGV: 139,
  SIGPIPE: 141,
  SIGTERM: 143,
};
export function exitStatusOf(r: Pick<SecretRunResult, 'exitCode' | 'signal'>): number {
  if (r.exitCode !== null) return r.exitCode;
  return (r.signal && SIGNAL_EXIT[r.signal]) ?? 128;
}

function textOrBase64(b: Buffer): { text: string } | { base64: string } {
  const text = b.toString('utf8');
  return Buffer.from(text, 'utf8').equals(b) ? { text } : { base64: b.toString('base64') };
}

function runReport(r: SecretRunResult, uses: readonly ResolvedSecret[]) {
  return {
    exitCode: r.exitCode,
    signal: r.signal,
    timedOut: r.timedOut,
    stdout: textOrBase64(r.stdout),
    stderr: textOrBase64(r.stderr),
    stdoutTruncated: r.stdoutTruncated,
    stderrTruncated: r.stderrTruncated,
    // What was used, by reference and leaf: never the value.
    uses: uses.map((u) => ({ name: u.name, ref: u.ref, memoryId: u.memory.id, level: u.memory.level, auditSeq: u.auditSeq })),
  };
}

interface CommonRunOptions {
  timeout?: string;
  justification: string;
  maxOutput: string;
}

function streamOptions(g: GlobalOptions) {
  return g.json ? {} : { onStdout: (b: Buffer) => void process.stdout.write(b), onStderr: (b: Buffer) => void process.stderr.write(b) };
}

function limits(o: CommonRunOptions) {
  return {
    timeoutMs: o.timeout !== undefined ? intOption(o.timeout, '--timeout', 1, 7 * 24 * 3600) * 1000 : 0,
    maxOutputBytes: intOption(o.maxOutput, '--max-output', 0, 64 * 1024 * 1024),
  };
}

function finishRun(g: GlobalOptions, r: SecretRunResult, uses: readonly ResolvedSecret[], extra: Record<string, string> = {}): void {
  if (g.json) emit(g, { ...runReport(r, uses), ...extra }, () => '');
  else if (r.timedOut) process.stderr.write('memory-vault: the command exceeded --timeout and was killed.\n');
  process.exitCode = exitStatusOf(r);
}

const SECRETS_HELP = `
References: mv://<namespace>/<memory id or unique hex prefix ≥ 8>[#field.sub] or
mv://<namespace>/by-title/<percent-encoded title>[#field]; \`memory-vault ref <id>\` prints one.
#field selects a string/number/boolean inside JSON content.

Each reference is resolved through the normal recall rules as a "use" of this exact command line
(audited as memory.use with the command's SHA-256 digest, never the value): levels 3+ ask on this
terminal, level 5 also needs the security key. Values shorter than 4 bytes are refused
(SECRET_UNMASKABLE). The value is given to the command only in its environment (run) or in a 0600
file (inject), never on its command line, and every value and its base64 / URL / hex encodings are
replaced by "<concealed by memory-vault>" in the command's stdout and stderr. Masking cannot stop a
command that sends its environment or the file elsewhere, or transforms the value (docs/SECRETS.md).
The exit code is the command's (128+n if killed by signal n); memory-vault's own errors use 20-70.`;

interface AgentModeOptions {
  agent?: boolean;
  tokenFile?: string;
  socket?: string;
  wait: string;
}

function agentRunOptions(
  o: AgentModeOptions & { justification: string },
  requests: readonly SecretRequest[],
  command: readonly string[],
): AgentRunOptions {
  return {
    ...(o.tokenFile ? { tokenFile: o.tokenFile } : {}),
    ...(o.socket ? { socket: o.socket } : {}),
    requests,
    command,
    justification: o.justification,
    waitSeconds: intOption(o.wait, '--wait', 0, 3600),
  };
}

export function registerSecretCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('run')
    .description('Run a command with secrets from the vault in its environment, masking them in its output')
    .usage('--env NAME=mv://<ns>/<id> [--env …] [options] -- <command> [args…]')
    .requiredOption('-e, --env <NAME=mv://ref>', 'environment variable to set from a memory (repeatable)', collect, [])
    .option('--timeout <seconds>', 'kill the command after this many seconds (default: no limit)')
    .option('-j, --justification <text>', 'why the secrets are needed (recorded as a length only)', '')
    .option('--max-output <bytes>', 'with --json: masked bytes kept per stream', String(1024 * 1024))
    // Agent mode (agent-run.ts): memory.use on the running vault; the token is never an argument (argv is world-readable).
    .option('--agent', 'run as an agent of the running vault (token from $MEMORY_VAULT_TOKEN); the command must be on its allowlist')
    .option('--token-file <path>', 'agent mode with the token in this file')
    .option('--socket <path>', 'agent mode: the agent socket (default: <vault>/agent.sock)')
    .option('--wait <seconds>', "agent mode: how long to wait for the owner's approval", '300')
    .argument('<command...>', 'the command and its arguments, after --')
    .addHelpText('after', `\nExample: memory-vault run --env PGPASSWORD=mv://ops/3fa2c1d0 -- psql -h db -U app\n${SECRETS_HELP}`)
    .action((command: string[], o: CommonRunOptions & AgentModeOptions & { env: string[] }) =>
      run(globals(), async (g) => {
        if (o.env.length === 0) throw new VaultError('INVALID_INPUT', 'Name at least one --env NAME=mv://… binding.');
        const requests = o.env.map(parseEnvBinding);
        const names = new Set(requests.map((r) => r.name));
        if (names.size !== requests.length) throw new VaultError('INVALID_INPUT', 'Each --env name may be bound once.');
        if (o.agent || o.tokenFile) return runAsAgent(g, agentRunOptions(o, requests, command));
        const lim = limits(o);
        const purpose = usePurpose(command, process.cwd());
        const [exe = '', ...args] = command;
        const uses = await withVault(g, (s) => resolveSecrets(s.engine, requests, OWNER, purpose, { justification: o.justification }));
        try {
          const r = await runWithSecrets({
            command: exe,
            args,
            cwd: purpose.cwd,
            baseEnv: childEnv(),
            secretEnv: uses.map((u) => ({ name: u.name, value: u.value })),
            stdin: g.json ? 'ignore' : 'inherit',
            forwardSignals: true,
            ...lim,
            ...streamOptions(g),
          });
          finishRun(g, r, uses);
        } finally {
          wipeAll(uses);
        }
      }),
    );

  program
    .command('inject')
    .description('Render a template with {{ mv://… }} references to a private 0600 file, run a command with its path, remove it')
    .usage('--template FILE [--out PATH] [options] -- <command> [args… with {} for the file path]')
    .requiredOption('-t, --template <file>', "template file; each {{ mv://… }} is replaced by the memory's value")
    .option('-o, --out <path>', 'write the rendered file here (must not exist; removed afterwards) instead of a private temp dir')
    .option('--timeout <seconds>', 'kill the command after this many seconds (default: no limit)')
    .option('-j, --justification <text>', 'why the secrets are needed (recorded as a length only)', '')
    .option('--max-output <bytes>', 'with --json: masked bytes kept per stream', String(1024 * 1024))
    .argument('<command...>', 'the command and its arguments, after --')
    .addHelpText(
      'after',
      `\nThe rendered file's path is in $${INJECT_FILE_ENV} and replaces every argument that is exactly ${INJECT_PATH_ARG}.\n` +
        `It is created 0600 in a fresh 0700 directory (on /dev/shm or $XDG_RUNTIME_DIR when present) and removed\n` +
        `when the command ends, fails or is killed, and when memory-vault gets SIGINT/SIGTERM.\n` +
        `Example: memory-vault inject --template app.env.tpl -- docker run --env-file {} app\n${SECRETS_HELP}`,
    )
    .action((command: string[], o: CommonRunOptions & { template: string; out?: string }) =>
      run(globals(), async (g) => {
        let text: string;
        try {
          text = readFileSync(o.template, 'utf8');
        } catch {
          throw new VaultError('INVALID_INPUT', 'The template file cannot be read.');
        }
        const template = parseInjectTemplate(text);
        if (template.refs.length === 0) throw new VaultError('INVALID_INPUT', 'The template names no {{ mv://… }} reference.');
        const lim = limits(o);
        const purpose = usePurpose(command, process.cwd());
        const [exe = '', ...args] = command;
        const requests = template.refs.map((ref) => ({ name: ref, ref }));
        const uses = await withVault(g, (s) => resolveSecrets(s.engine, requests, OWNER, purpose, { justification: o.justification }));
        try {
          const values = new Map<string, SecretValue>(uses.map((u) => [u.ref, u.value]));
          const r = await injectAndRun({
            rendered: renderInjectTemplate(template, values),
            ...(o.out !== undefined ? { outPath: o.out } : {}),
            command: exe,
            args,
            cwd: purpose.cwd,
            baseEnv: childEnv(),
            secretEnv: [],
            maskValues: uses.map((u) => u.value),
            stdin: g.json ? 'ignore' : 'inherit',
            ...lim,
            ...streamOptions(g),
          });
          finishRun(g, r, uses, { file: r.filePath });
        } finally {
          wipeAll(uses);
        }
      }),
    );

  program
    .command('ref <memory>')
    .description('Print the mv:// reference of a memory (by id or short id), for run, inject and templates')
    .option('-f, --field <path>', 'add a #field selector for JSON content, e.g. db.password')
    .action((memory: string, o: { field?: string }) =>
      run(globals(), async (g) => {
        const m = await withVault(g, (s) => Promise.resolve(s.engine.describe(memory)));
        const ref = memoryRefOf(m, o.field !== undefined ? parseFieldSelector(o.field) : undefined);
        const byTitle = memoryTitleRefOf(m);
        emit(
          g,
          { ref, byTitle, memory: { id: m.id, shortId: m.shortId, namespace: m.namespace, level: m.level, title: m.title } },
          (r) => `${r.ref}\n(by title: ${r.byTitle})`,
        );
      }),
    );
}
