// Every environment variable the CLI reads, with what it is for: printed by `--help` and checked
// against the source and the README by tests/cli/environment-docs.test.ts, so a new variable
// cannot stay undocumented. Secrets are only ever read from files these name, never from the
// variables themselves (a variable's value shows in /proc/<pid>/environ and in child processes).
export interface EnvironmentVariable {
  readonly name: string;
  readonly purpose: string;
}

export const ENVIRONMENT: readonly EnvironmentVariable[] = [
  { name: 'MEMORY_VAULT_DIR', purpose: 'vault directory when --vault is not given' },
  { name: 'MEMORY_VAULT_PASSPHRASE_FILE', purpose: 'file holding the vault passphrase (else it is asked on the terminal)' },
  { name: 'MEMORY_VAULT_NEW_PASSPHRASE_FILE', purpose: 'file holding the new passphrase after a recovery (escrow recover)' },
  { name: 'MEMORY_VAULT_BACKUP_PASSPHRASE_FILE', purpose: 'file holding the passphrase of a passphrase-protected backup' },
  { name: 'MEMORY_VAULT_TPM_PIN_FILE', purpose: 'file holding the TPM PIN of a TPM vault sealed with one' },
  { name: 'MEMORY_VAULT_FIDO2_PIN_FILE', purpose: "file holding the security key's PIN" },
  { name: 'MEMORY_VAULT_TOKEN', purpose: 'agent token for `mcp` and agent-mode commands (or --token-file)' },
  { name: 'MEMORY_VAULT_INJECT_FILE', purpose: 'set BY `inject` for its child: the path of the rendered file' },
  { name: 'MEMORY_VAULT_DEBUG', purpose: '1: print the stack of an unexpected (INTERNAL) error to stderr' },
  { name: 'TPM2TOOLS_TCTI', purpose: 'which TPM tpm2-tools talk to (e.g. swtpm:port=2321); default the system TPM' },
  { name: 'NATLANGCHAIN_API_URL', purpose: 'NatLangChain endpoint for checkpoint anchoring (serve anchors only when set)' },
  { name: 'XDG_DATA_HOME', purpose: 'Linux: base of the default vault directory (~/.local/share)' },
  { name: 'APPDATA', purpose: 'Windows: base of the default vault directory' },
  { name: 'XDG_RUNTIME_DIR', purpose: 'where private temporary files go when /dev/shm is not writable' },
];

export function environmentHelp(): string {
  const width = Math.max(...ENVIRONMENT.map((v) => v.name.length));
  return `Environment:\n${ENVIRONMENT.map((v) => `  ${v.name.padEnd(width)}  ${v.purpose}`).join('\n')}`;
}
