// What a model should do about a refusal: one sentence per stable code, added to the tool result
// beside the code, so a model that only reads text still acts sensibly (and stops retrying what
// cannot succeed). Never includes the request's own data.
import type { ErrorCode } from '../../core/errors.js';

const ADVICE: Partial<Record<ErrorCode, string>> = {
  UNAUTHORIZED:
    "This MCP server's agent token is missing, invalid, revoked or expired, so no tool can work. Tell the user to ask the vault owner " +
    'for a new token (`memory-vault agent add`), set it as MEMORY_VAULT_TOKEN for the MCP server, and restart it. Do not retry.',
  AGENT_SUSPENDED:
    'The owner suspended this agent after repeated refusals. Tell the user; only the owner can lift it (`memory-vault agent resume`). Do not retry.',
  VAULT_LOCKED:
    'The vault is not running or is locked. Tell the user to start `memory-vault serve` or unlock the desktop app, then try again.',
  LOCKDOWN: 'The vault is in lockdown: nothing can be recalled until the owner lifts it. Tell the user; do not retry.',
  FORBIDDEN:
    'Your token does not reach this level or namespace (see vault_health for your scope). Do not retry; ask the user whether the owner should widen it.',
  APPROVAL_DENIED: 'The owner denied this request. Do not ask again for the same memory unless the user asks you to.',
  APPROVAL_EXPIRED: 'The owner did not decide in time. Ask the user whether to request it again.',
  NOT_FOUND: 'No memory you may see has this id. Use search_memories or list_memories to find the id (the short id they print works).',
  REFERENCE_AMBIGUOUS: 'This short id matches more than one memory. Use the full id from search_memories or list_memories.',
  COOLDOWN: 'This memory was recalled recently; wait for retryAfterMs before recalling it again.',
  RATE_LIMITED: 'Too many calls; slow down and try again in a few seconds.',
  BOUNDARY_DENIED: 'This level needs an offline environment the vault could not confirm. Tell the user; do not retry.',
  COMMAND_NOT_ALLOWED:
    'The owner has not allowed this command for your agent. Ask the user to have the owner allow it (`memory-vault agent allow-command`).',
};

export function adviceFor(code: ErrorCode): string | undefined {
  return ADVICE[code];
}
