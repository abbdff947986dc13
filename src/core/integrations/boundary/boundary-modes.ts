// The Agent-OS boundary daemon's wire vocabulary (DESIGN §7, seed README): modes and the replies
// we accept. Every reply is parsed with zod; anything else is treated as "no answer" (fail closed).
import { z } from 'zod';

export const BOUNDARY_MODES = ['ONLINE', 'OFFLINE', 'AIRGAP', 'COLDROOM', 'MAINTENANCE'] as const;
export type BoundaryMode = (typeof BOUNDARY_MODES)[number];

export const DEFAULT_BOUNDARY_SOCKET = '~/.agent-os/api/boundary.sock';
export const BOUNDARY_TIMEOUT_MS = 5_000;

/** `check_recall` → `{"permitted": bool, "reason": str}` (extra fields such as `success` are ignored). */
export const checkRecallReplySchema = z
  .object({
    permitted: z.boolean(),
    reason: z.string().max(4096).optional(),
  })
  .loose();

/**
 * `human_presence` → `{"present": bool, "reason": str}` (or `permitted`, as the daemon's other
 * answers say it): is a person physically at this machine? Asked before a level-5 release.
 */
export const humanPresenceReplySchema = z.union([
  z.object({ present: z.boolean(), reason: z.string().max(4096).optional() }).loose(),
  z
    .object({ permitted: z.boolean(), reason: z.string().max(4096).optional() })
    .loose()
    .transform((r) => ({ ...r, present: r.permitted })),
]);

/** `get_mode` → `{"mode": "AIRGAP"}`; the mode name is matched case-insensitively. */
export const getModeReplySchema = z
  .object({
    mode: z
      .string()
      .transform((m) => m.trim().toUpperCase())
      .pipe(z.enum(BOUNDARY_MODES)),
  })
  .loose();
