// The digest of an approval request as the owner saw it. Invariant: an owner decision is applied
// only to the request it was made about — two requests that differ in who asks, for which memory,
// at which level, why, or until when, never share a digest, so a decision cannot be swapped onto
// another request (a double click landing on the next dialog, a request redrawn under the cursor).
import { createHash, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { commandDigest } from '../secrets/use-purpose.js';

/** Domain separation: this hash is never confused with an audit leaf or any other SHA-256 in the vault. */
export const APPROVAL_DIGEST_DOMAIN = 'memory-vault/approval-digest/v1';

/** Lower-case hex SHA-256, the form owner surfaces display and send back. */
export const APPROVAL_DIGEST_PATTERN = /^[0-9a-f]{64}$/;

/** The fields of a request an owner surface displays that the decision is bound to. */
export interface ApprovalDigestInput {
  readonly requestId: string;
  readonly requester: { readonly id: string };
  readonly memory: { readonly id: string };
  /** A Level; typed as a number so a DTO read back from a contract can be hashed as shown. */
  readonly level: number;
  readonly justification: string;
  readonly expiresAt: number;
  /** A use request's command (issue 19). Absent for a recall, whose digest is unchanged. */
  readonly purpose?: { readonly commandLine: readonly string[]; readonly cwd: string };
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

/**
 * SHA-256 over `domain || 0x00 || JCS(fields)` (RFC 8785 canonical JSON, so every surface that
 * recomputes it — desktop main, server, CLI client — gets the same bytes). The justification enters
 * as its own SHA-256 so an arbitrarily long agent text costs one fixed-size field.
 */
export function approvalDigest(v: ApprovalDigestInput): string {
  const fields = {
    requestId: v.requestId,
    requesterId: v.requester.id,
    memoryId: v.memory.id,
    level: v.level,
    justificationSha256: sha256Hex(v.justification),
    expiresAt: v.expiresAt,
    // Recomputed from the command line and cwd as shown, never taken from a digest field the
    // request carries: the owner's decision binds the command they read.
    ...(v.purpose ? { purposeCommandDigest: commandDigest(v.purpose) } : {}),
  };
  return sha256Hex(`${APPROVAL_DIGEST_DOMAIN}\u0000${canonicalJson(fields)}`);
}

/** Whether `shown` is the digest of `v`; anything that is not a well-formed digest never matches. */
export function digestMatches(v: ApprovalDigestInput, shown: string): boolean {
  if (!APPROVAL_DIGEST_PATTERN.test(shown)) return false;
  // Not secret, but comparing in constant time costs nothing and leaves no oracle to reason about.
  return timingSafeEqual(Buffer.from(approvalDigest(v), 'hex'), Buffer.from(shown, 'hex'));
}
