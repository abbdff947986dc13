// The one parser from untrusted input to `Level`, used by IPC contracts, both sockets, MCP, the
// CLI and the engine. A multi-value literal, so the output type is exactly `Level` (no cast) and
// the JSON Schema an MCP client sees is `{ type: "number", enum: [0, 1, 2, 3, 4, 5] }`.
import { z } from 'zod';
import { LEVELS, type Level } from './level.js';

export const levelSchema = z.literal(LEVELS);

/** For shells that already hold a number (CLI options): a bad level is a thrown ZodError. */
export function parseLevel(value: unknown): Level {
  return levelSchema.parse(value);
}
