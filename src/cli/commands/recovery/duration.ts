// Durations on the command line: 90s, 45m, 36h, 7d.
import { VaultError } from '../../../core/errors.js';

const UNIT: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string, name: string): number {
  const m = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!m) throw new VaultError('INVALID_INPUT', `${name} is a number and a unit: 90s, 45m, 36h or 7d.`);
  return Number(m[1]) * (UNIT[m[2] as string] ?? 0);
}
