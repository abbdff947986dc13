// Every environment variable the code reads is in the CLI's ENVIRONMENT table, in `--help` and in
// the README — and every one they name is really read somewhere (issue 16: the backup and
// new-passphrase variables were in neither).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../src/cli/io/environment.js';
import { buildProgram } from '../../src/cli/main.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const sources = readdirSync(join(REPO, 'src'), { recursive: true })
  .map(String)
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith('renderer') && !f.startsWith('bench'))
  // The table itself names every variable: it must not count as reading them.
  .filter((f) => f !== join('cli', 'io', 'environment.ts'))
  .map((f) => readFileSync(join(REPO, 'src', f), 'utf8'));
const code = sources.join('\n');

/** Names read from the environment: env.X / process.env.X, and MEMORY_VAULT_* string literals (read through a variable). */
function namesRead(): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1] ?? '');
  for (const m of code.matchAll(/'(MEMORY_VAULT_[A-Z0-9_]+)'/g)) names.add(m[1] ?? '');
  names.delete('');
  return names;
}

describe('environment variables are documented', () => {
  const table = ENVIRONMENT.map((v) => v.name);
  // Read by the libraries and the OS layer, not configuration of ours.
  const NOT_CONFIGURATION = new Set(['PATH', 'HOME', 'TERM', 'NODE_ENV', 'CI']);

  it('every variable the code reads is in the table', () => {
    const missing = [...namesRead()].filter((n) => !NOT_CONFIGURATION.has(n) && !table.includes(n));
    expect(missing).toEqual([]);
  });

  it('every variable in the table is read by the code', () => {
    expect(table.filter((n) => !code.includes(n))).toEqual([]);
  });

  it('--help lists each one and the README names each one', () => {
    let help = '';
    const program = buildProgram().configureOutput({ writeOut: (s) => (help += s) });
    program.outputHelp();
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    for (const n of table) {
      expect(help, n).toContain(n);
      expect(readme, n).toContain(`\`${n}\``);
    }
  });
});
