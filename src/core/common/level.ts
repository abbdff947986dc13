// The six classification levels (DESIGN §2): the one `Level` type of the whole tree. Kept free of
// zod so the renderer can print a badge without bundling the schema library; the schema that
// turns untrusted input into a `Level` is level.schema.ts. A memory's level is fixed when it is
// written.
export const LEVELS = [0, 1, 2, 3, 4, 5] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES = ['Ephemeral', 'Working', 'Private', 'Sealed', 'Vaulted', 'Black'] as const satisfies readonly string[] & {
  length: 6;
};

export function isLevel(value: unknown): value is Level {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 5;
}

/** Display name of a level; numbers from outside (an old DTO, a future level) still print. */
export function levelName(level: number): string {
  return LEVEL_NAMES[level] ?? `Level ${level}`;
}
