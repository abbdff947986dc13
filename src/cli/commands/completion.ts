// `memory-vault completion bash|zsh|fish`: print a completion script for the shell.
import type { Command } from 'commander';
import { VaultError } from '../../core/errors.js';
import { bashCompletion, fishCompletion, zshCompletion } from '../io/completion-scripts.js';
import type { GlobalOptions } from '../io/vault-access.js';
import { run } from './run.js';

const SHELLS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;
const isShell = (s: string): s is keyof typeof SHELLS => Object.hasOwn(SHELLS, s);

export function registerCompletion(program: Command, globals: () => GlobalOptions): void {
  program
    .command('completion <shell>')
    .description('Print a shell completion script: bash (source <(memory-vault completion bash)), zsh or fish')
    .action((shell: string) =>
      run(globals(), async () => {
        if (!isShell(shell)) throw new VaultError('INVALID_INPUT', 'Shells: bash, zsh, fish.');
        process.stdout.write(SHELLS[shell](program));
        return Promise.resolve();
      }),
    );
}
