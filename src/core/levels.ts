// The six classification levels (DESIGN §2). A memory's level is fixed when it is written.
export const LEVELS = [0, 1, 2, 3, 4, 5] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES: Readonly<Record<Level, string>> = {
  0: 'Ephemeral',
  1: 'Working',
  2: 'Private',
  3: 'Sealed',
  4: 'Vaulted',
  5: 'Black',
};

export function isLevel(value: unknown): value is Level {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 5;
}

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
export const MAX_GRANT_MINUTES = 60;
