// IntentLog references: opaque identifiers (UUIDs or IntentLog ids) linking intents to memories.
// Audit events carry only a hash of the reference: ids can be guessable or tell a story.
import { z } from 'zod';
import { sha256 } from '../crypto/keys.js';
import { VaultError } from '../errors.js';

// \p{Cc} = control characters; \s = any whitespace.
export const intentRefSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\s\p{Cc}]+$/u, 'no spaces or control characters');

export function parseIntentRef(value: string): string {
  const r = intentRefSchema.safeParse(value);
  if (!r.success) throw new VaultError('INVALID_INPUT', 'An intent reference is 1–256 characters without spaces or control characters.');
  return r.data;
}

export function intentRefHash(ref: string): string {
  return sha256(`memory-vault/intent-ref/v1\n${ref}`).toString('hex').slice(0, 32);
}
