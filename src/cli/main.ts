// memory-vault: the owner's command line. Every command accepts --json.
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from './io/exit-codes.js';
import { environmentHelp } from './io/environment.js';
import { toTerminalJson } from '../core/common/terminal-text.js';
import type { GlobalOptions } from './io/vault-access.js';
import { registerInit } from './commands/init.js';
import { registerMemoryCommands } from './commands/memory.js';
import { registerOwnerCommands } from './commands/owner.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerAgentCommands } from './commands/agents.js';
import { registerApprovals } from './commands/approvals.js';
import { registerGrantCommands } from './commands/grants.js';
import { registerServe } from './commands/serve.js';
import { registerMcp } from './commands/mcp.js';
import { registerHardwareCommands } from './commands/hardware.js';
import { registerIntegrationCommands } from './commands/integrations/index.js';
import { registerRecoveryCommands } from './commands/recovery/index.js';
import { registerCompletion } from './commands/completion.js';
import { registerSecretCommands } from './commands/secrets.js';
import { SERVER_VERSION } from '../node/agent-api/vault-server.js';

export function buildProgram(opts: { jsonUsageErrors?: boolean } = {}): Command {
  // exitOverride and configureOutput before any subcommand exists: commander copies both to
  // subcommands at creation, so their usage errors also exit 2 (and, under --json, stay off the
  // terminal: main() prints them as the one JSON document instead).
  const program = new Command()
    .exitOverride()
    .configureOutput(opts.jsonUsageErrors === true ? { outputError: () => undefined, writeErr: () => undefined } : {})
    .name('memory-vault')
    .description('Encrypted memory vault for AI agents; the owner decides what they may recall.')
    .version(SERVER_VERSION, '-V, --version', 'print the version')
    .option('--vault <dir>', 'vault directory (default: $MEMORY_VAULT_DIR, then the app-data directory)')
    .option('--keyfile <path>', 'unlock with a keyfile instead of a passphrase')
    .option('--json', 'machine-readable output: one JSON document on stdout', false)
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nPassphrase: asked on the terminal without echo, or read from the file named by MEMORY_VAULT_PASSPHRASE_FILE.\n' +
        'Exit codes: 0 ok, 2 usage, 20-29 input, 30-39 credentials/vault state, 40-49 policy refusals,\n' +
        '50-59 integrity/storage, 60-69 hardware, 70 internal. With --json the error code is in error.code.\n\n' +
        environmentHelp(),
    );
  const globals = (): GlobalOptions => {
    const o = program.opts<{ vault?: string; keyfile?: string; json: boolean }>();
    return { json: o.json === true, ...(o.vault ? { vault: o.vault } : {}), ...(o.keyfile ? { keyfile: o.keyfile } : {}) };
  };
  registerInit(program, globals);
  registerMemoryCommands(program, globals);
  registerOwnerCommands(program, globals);
  registerAuditCommands(program, globals);
  registerServe(program, globals);
  registerAgentCommands(program, globals);
  registerApprovals(program, globals);
  registerGrantCommands(program, globals);
  registerMcp(program, globals);
  registerHardwareCommands(program, globals);
  registerIntegrationCommands(program, globals);
  registerRecoveryCommands(program, globals);
  registerSecretCommands(program, globals);
  // Last: the completion script covers every command registered above.
  registerCompletion(program, globals);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  // `memory-vault audit list | head` closes our stdout early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  // Usage errors happen before commander has parsed --json, so it is looked for in argv itself
  // (before a `--` that ends the options).
  const end = argv.indexOf('--');
  const json = (end < 0 ? argv : argv.slice(0, end)).includes('--json');
  const program = buildProgram({ jsonUsageErrors: json });
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.exitCode !== 0 && json) {
      const message = e.message.replace(/^error: /, '');
      process.stdout.write(`${toTerminalJson({ ok: false, error: { code: 'INVALID_INPUT', message, details: { usage: e.code } } })}\n`);
    }
    process.exit(e.exitCode === 0 ? 0 : EXIT_USAGE);
  }
}
