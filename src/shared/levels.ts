// Level names for display. Kept free of zod so the renderer bundle does not pull the schema
// library in just to print a badge.
export const LEVEL_NAMES = ['Ephemeral', 'Working', 'Private', 'Sealed', 'Vaulted', 'Black'] as const;

export function levelName(level: number): string {
  return LEVEL_NAMES[level] ?? `Level ${level}`;
}
