// How one approval request looks on the owner's terminal, for `serve`'s prompt and for
// `memory-vault approvals` alike. Invariant: every agent-supplied string is neutralised
// (neutraliseLine) and sits below a label saying it is the agent's words, apart from the facts
// the vault vouches for (who asks, which memory, which level, until when).
import type { Level } from '../../core/levels.js';
import { LEVEL_NAMES } from '../../core/levels.js';
import type { MemorySummary } from '../../core/model/memory.js';
import { neutraliseLine } from '../../core/common/terminal-text.js';
import { commandLineText } from '../../core/common/command-line-text.js';

/** Label of the lines that are someone else's words, not facts the vault vouches for. */
export const AGENT_WORDS_LABEL = '(written by the agent: its words, not checked by the vault)';

/**
 * What a terminal shows of a request and what its decision digest is computed from (a core
 * ApprovalView is one; so is a view parsed from the owner channel, without the memory-id brand).
 */
export interface DisplayedRequest {
  readonly requestId: string;
  readonly level: Level;
  readonly requester: { readonly type: string; readonly id: string; readonly name: string };
  /** The summary's labels, with a plain-string id (an owner-channel view carries no brand). */
  readonly memory: Pick<MemorySummary, 'shortId' | 'namespace' | 'createdBy' | 'title' | 'tags' | 'metadata'> & { readonly id: string };
  readonly justification: string;
  readonly environment: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly grantAllowed: boolean;
  /** Issue 19: present when the request resolves a secret for a command (memory.use / run). */
  readonly purpose?: { readonly commandLine: readonly string[]; readonly cwd: string } | undefined;
}

/**
 * The "to run" lines of a use request: the exact argv as one line with every argument boundary
 * visible (command-line-text.ts), then the directory — both neutralised, since an agent chose
 * the values that fill the owner's pattern.
 */
export function describePurpose(p: { readonly commandLine: readonly string[]; readonly cwd: string }): string[] {
  return [`  to run:        \`${neutraliseLine(commandLineText(p.commandLine))}\``, `  in directory:  ${neutraliseLine(p.cwd)}`];
}

export function describeRequest(v: DisplayedRequest, now = Date.now()): string {
  const m = v.memory;
  const L = neutraliseLine;
  const meta = Object.entries(m.metadata)
    .map(([k, val]) => `${L(k)}=${L(String(val))}`)
    .join(', ');
  return [
    `APPROVAL REQUEST ${L(v.requestId)}`,
    `  agent:         ${L(v.requester.name)} (${L(v.requester.type)} ${L(v.requester.id)})`,
    `  memory:        ${L(m.shortId)}  level ${v.level} (${LEVEL_NAMES[v.level]})  namespace ${L(m.namespace)}  stored by ${L(m.createdBy)}`,
    ...(v.purpose ? describePurpose(v.purpose) : []),
    `  environment:   ${L(v.environment)}`,
    `  expires in:    ${Math.max(0, Math.round((v.expiresAt - now) / 1000))} s`,
    `  ${AGENT_WORDS_LABEL}`,
    `  | title:         "${L(m.title)}"`,
    ...(m.tags.length ? [`  | tags:          ${m.tags.map(L).join(', ')}`] : []),
    ...(meta ? [`  | metadata:      ${meta}`] : []),
    `  | justification: ${v.justification ? L(v.justification) : '(none given)'}`,
  ].join('\n');
}
