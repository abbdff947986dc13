// The generated scripts, exercised in a real bash: the completion function is called the way
// bash calls it (COMP_WORDS/COMP_CWORD) and must offer the subcommands and options that exist.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';
import { bashCompletion, completionTree, fishCompletion, zshCompletion } from './completion-scripts.js';

function complete(words: string[]): string[] {
  const script = bashCompletion(buildProgram());
  const line = `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _memory_vault; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', `${script}\n${line}`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe('shell completion', () => {
  it('bash: top-level commands, subcommands after options, and each command’s options', () => {
    expect(complete(['memory-vault', 'au'])).toEqual(['audit']);
    expect(complete(['memory-vault', '--json', 'audit', 'ch']).sort()).toEqual(['checkpoint', 'checkpoints']);
    expect(complete(['memory-vault', 'audit', 'prove', '--from'])).toEqual(['--from-size']);
    expect(complete(['memory-vault', 'store', '--ti'])).toEqual(['--title']);
    expect(complete(['memory-vault', 'comp'])).toEqual(['completion']);
  });

  it('the tree covers every command commander knows, and zsh/fish scripts name them', () => {
    const tree = completionTree(buildProgram());
    const paths = tree.map((n) => n.path);
    expect(paths).toContain('audit prove');
    expect(paths).toContain('backup restore');
    const zsh = zshCompletion(buildProgram());
    const fish = fishCompletion(buildProgram());
    for (const p of paths.filter((x) => x !== '')) {
      expect(zsh).toContain(`'${p}')`);
      expect(fish).toContain(`-a ${p.split(' ').pop() ?? ''}`);
    }
    expect(zsh.startsWith('#compdef memory-vault')).toBe(true);
  });

  it('zsh and fish scripts parse in their shells where installed', () => {
    for (const [shell, script] of [
      ['zsh', zshCompletion(buildProgram())],
      ['fish', fishCompletion(buildProgram())],
    ] as const) {
      const has = spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
      if (!has) {
        console.warn(`completion: ${shell} is not installed — its syntax check SKIPPED (bash is exercised fully)`);
        continue;
      }
      expect(spawnSync(shell, ['-n'], { input: script, encoding: 'utf8' }).status).toBe(0);
    }
    expect(bashCompletion(buildProgram())).toContain('complete -F _memory_vault memory-vault');
  });
});
