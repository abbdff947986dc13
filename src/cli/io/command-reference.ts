// The README's command list, generated from the commander tree (scripts/update-command-reference.mjs
// writes it; tests/cli/docs-commands.test.ts fails when the README's copy is stale).
import type { Command } from 'commander';

export const REFERENCE_START = '<!-- command-reference:start (generated: npm run docs:commands) -->';
export const REFERENCE_END = '<!-- command-reference:end -->';

function rows(cmd: Command, prefix: string): string[] {
  return cmd.commands.flatMap((c) => {
    const path = `${prefix}${c.name()}`;
    const args = c.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
    const line = `| \`memory-vault ${path}${args ? ` ${args}` : ''}\` | ${c.description().replace(/\|/g, '\\|')} |`;
    return [line, ...rows(c, `${path} `)];
  });
}

export function commandReference(program: Command): string {
  return [REFERENCE_START, '| command | what it does |', '|---|---|', ...rows(program, ''), REFERENCE_END].join('\n');
}

/** The README with its generated block replaced (or unchanged when the markers are missing). */
export function withCommandReference(readme: string, program: Command): string {
  const a = readme.indexOf(REFERENCE_START);
  const b = readme.indexOf(REFERENCE_END);
  if (a < 0 || b < a) return readme;
  return `${readme.slice(0, a)}${commandReference(program)}${readme.slice(b + REFERENCE_END.length)}`;
}
