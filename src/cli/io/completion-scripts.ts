// Shell completion scripts generated from the commander tree itself, so they cannot drift from
// the commands that exist. Hand-written because commander ships no completion generator and the
// maintained generators (omelette, tabtab) need a runtime hook in every invocation; a static
// script needs nothing at completion time but the shell.
import type { Command } from 'commander';

interface Node {
  /** Space-joined path of subcommand names below the program ('' for the program itself). */
  readonly path: string;
  readonly subcommands: readonly string[];
  readonly options: readonly string[];
}

const words = (n: Node): string => [...n.subcommands, ...n.options].map(safe).join(' ');

function walk(cmd: Command, path: string[], out: Node[]): void {
  const options = cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => typeof f === 'string'));
  const subs = cmd.commands.filter((c) => !c.name().startsWith('_'));
  out.push({ path: path.join(' '), subcommands: subs.map((c) => c.name()), options: [...options, '--help'] });
  for (const c of subs) walk(c, [...path, c.name()], out);
}

export function completionTree(program: Command): Node[] {
  const out: Node[] = [];
  walk(program, [], out);
  return out;
}

/** Words are letters, digits, _ and - only (commander names and flags), so no quoting is needed below. */
const safe = (w: string): string => w.replace(/[^A-Za-z0-9_-]/g, '');

export function bashCompletion(program: Command): string {
  const name = program.name();
  const fn = `_${safe(name).replace(/-/g, '_')}`;
  return `# bash completion for ${name}: source <(${name} completion bash)
${fn}() {
  local cur cmdpath="" w i words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    if ${fn}_has "\${cmdpath:+$cmdpath }$w"; then cmdpath="\${cmdpath:+$cmdpath }$w"; fi
  done
  ${fn}_words "$cmdpath"
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
${fn}_has() { ${fn}_words "$1"; [[ -n "$words" ]]; }
${fn}_words() {
  case "$1" in
${completionTree(program)
  .map((n) => `    '${n.path.split(' ').map(safe).join(' ')}') words='${words(n)}' ;;`)
  .join('\n')}
    *) words='' ;;
  esac
}
complete -F ${fn} ${name}
`;
}

export function zshCompletion(program: Command): string {
  const name = program.name();
  const fn = `_${safe(name).replace(/-/g, '_')}`;
  return `#compdef ${name}
# zsh completion for ${name}: ${name} completion zsh > "\${fpath[1]}/_${name}"
${fn}() {
  local cmdpath="" w i
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    [[ "$w" == -* ]] && continue
    case "\${cmdpath:+$cmdpath }$w" in
${completionTree(program)
  .filter((n) => n.path !== '')
  .map((n) => `      '${n.path.split(' ').map(safe).join(' ')}') cmdpath="\${cmdpath:+$cmdpath }$w" ;;`)
  .join('\n')}
    esac
  done
  case "$cmdpath" in
${completionTree(program)
  .map((n) => `    '${n.path.split(' ').map(safe).join(' ')}') compadd -- ${words(n)} ;;`)
  .join('\n')}
  esac
}
compdef ${fn} ${name}
`;
}

export function fishCompletion(program: Command): string {
  const name = program.name();
  const lines = [
    `# fish completion for ${name}: ${name} completion fish > ~/.config/fish/completions/${name}.fish`,
    `complete -c ${name} -f`,
  ];
  for (const n of completionTree(program)) {
    const parts = n.path === '' ? [] : n.path.split(' ').map(safe);
    // At depth d, offer this node's subcommands when the words so far are exactly its path.
    const cond = parts.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${parts[parts.length - 1] ?? ''}`;
    for (const s of n.subcommands) lines.push(`complete -c ${name} -n '${cond}' -a ${safe(s)}`);
    for (const o of n.options) {
      if (o.startsWith('--')) lines.push(`complete -c ${name} -n '${cond}' -l ${safe(o.slice(2))}`);
      else lines.push(`complete -c ${name} -n '${cond}' -s ${safe(o.slice(1))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
