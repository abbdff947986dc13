// Level policy (DESIGN §2): which levels are searchable, need approval, may be granted. The
// `Level` type itself, its names and its parser live in the pure common layer (core/common), so
// IPC, sockets, MCP and the core share one definition.
import type { Level } from './common/level.js';

export { isLevel, LEVEL_NAMES, LEVELS, type Level } from './common/level.js';
export { MAX_GRANT_MINUTES } from './common/approval-input.schema.js';

/** Levels whose content (not only metadata) is indexed for full-text search. */
export function contentSearchable(level: Level): boolean {
  return level <= 2;
}

/** Levels 3+ need the owner's approval on every recall (a level-3 grant can stand in). */
export function needsApproval(level: Level): boolean {
  return level >= 3;
}

export function grantAllowed(level: Level): boolean {
  return level === 3;
}

/** Owner and security events, and recalls of level 3+, are fsynced before anything is released. */
export function recallIsDurable(level: Level): boolean {
  return level >= 3;
}

export const DEFAULT_EPHEMERAL_TTL_MS = 24 * 60 * 60 * 1000;
