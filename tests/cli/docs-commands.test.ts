// Every `memory-vault …` command the README and docs/ name exists, and every top-level command
// the CLI has is named in the README (issue 16: docs drifted from the code).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REFERENCE_START, withCommandReference } from '../../src/cli/io/command-reference.js';
import { completionTree } from '../../src/cli/io/completion-scripts.js';
import { buildProgram } from '../../src/cli/main.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const docs = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];
const tree = completionTree(buildProgram());
const paths = new Set(tree.map((n) => n.path));
const globalOptionsWithValue = new Set(['--vault', '--keyfile']);

/** The command words after `memory-vault` (global options skipped) up to the first non-command word. */
function commandOf(words: string[]): string {
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w.startsWith('-')) {
      if (globalOptionsWithValue.has(w) && rest.length === 0) i++;
      if (rest.length === 0) continue;
      break;
    }
    const next = [...rest, w].join(' ');
    if (!paths.has(next)) break;
    rest.push(w);
  }
  return rest.join(' ');
}

function mentions(): { file: string; text: string; first: string }[] {
  const out: { file: string; text: string; first: string }[] = [];
  for (const file of docs) {
    const md = readFileSync(join(REPO, file), 'utf8');
    for (const m of md.matchAll(/(?:^|[`\s(])memory-vault((?: +[-\w.=/<>…]+)+)/gm)) {
      const words = (m[1] ?? '').trim().split(/ +/);
      const first = words.find((w) => !w.startsWith('-') && !globalOptionsWithValue.has(w)) ?? '';
      out.push({ file, text: `memory-vault${m[1] ?? ''}`, first: commandOf(words) === '' ? first : commandOf(words) });
    }
  }
  return out;
}

describe('docs name the commands that exist', () => {
  it('each `memory-vault X …` in README/docs starts with a real command', () => {
    // Words after `memory-vault` that are not commands but prose (e.g. "memory-vault's", a path).
    const unknown = mentions().filter((m) => {
      const top = m.first.split(' ')[0] ?? '';
      if (top === '' || /^[A-Z<[]|['’]|\/|\.(js|mjs|md)$/.test(top)) return false;
      return !paths.has(top);
    });
    expect(unknown.map((u) => `${u.file}: ${u.text}`)).toEqual([]);
  });

  it('the README lists every command, generated from the CLI itself (npm run docs:commands)', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain(REFERENCE_START);
    expect(withCommandReference(readme, buildProgram()), 'README command list is stale: run `npm run docs:commands`').toBe(readme);
    for (const c of tree.filter((n) => n.path !== '').map((n) => n.path)) expect(readme).toContain(`\`memory-vault ${c}`);
  });
});
