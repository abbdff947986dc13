// Level-3 grants: the owner's "let this agent recall this memory for N minutes". Invariants:
// grants live in memory only (a restart revokes them); none is minted while the vault is in
// lockdown; lockdown, revoking the agent and tombstoning the memory delete theirs (engine-
// context); a recall let through by a grant is still re-checked at delivery (recall-pipeline).
// A grant is scoped to its purpose (issue 19): a plain grant covers recall only; a use grant
// covers only a use of the same command digest — neither ever stands in for the other.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Level } from '../levels.js';
import { levelSchema } from '../model/store-input.js';

export interface GrantHolder {
  readonly type: 'owner' | 'agent' | 'system';
  readonly id: string;
  /** The agent's name (as the registry had it when the grant was made), else the id. */
  readonly name: string;
}

/** What a grant covers besides recall: a use by one command (its use-purpose.ts commandDigest). */
export interface GrantPurpose {
  readonly kind: 'use';
  readonly commandDigest: string;
  /** For owner surfaces (grants list / panel): the command line and directory the digest is of. Not part of the key. */
  readonly commandLine?: readonly string[];
  readonly cwd?: string;
}

export interface Grant {
  readonly grantId: string;
  readonly holder: GrantHolder;
  readonly memoryId: string;
  readonly level: Level;
  readonly grantedAt: number;
  readonly expiresAt: number;
  /** The owner channel that approved the recall which minted this grant. */
  readonly grantedVia: string;
  /** Absent: a recall grant. Present: a use grant for this command digest only. */
  readonly purpose?: GrantPurpose;
}

/** A grant as owner surfaces receive it over a socket or IPC: parsed, never cast. */
export const grantSchema = z
  .object({
    grantId: z.string().uuid(),
    holder: z.object({ type: z.enum(['owner', 'agent', 'system']), id: z.string().max(200), name: z.string().max(200) }).strict(),
    memoryId: z.string().max(200),
    level: levelSchema,
    grantedAt: z.number().int(),
    expiresAt: z.number().int(),
    grantedVia: z.string().max(64),
    purpose: z
      .object({
        kind: z.literal('use'),
        commandDigest: z.string().regex(/^[0-9a-f]{64}$/),
        commandLine: z.array(z.string().max(4096)).max(256).readonly().optional(),
        cwd: z.string().max(4096).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

// A recall grant keeps the key it always had; a use grant adds its digest, so the two never collide.
const keyOf = (holder: { type: string; id: string }, memoryId: string, purpose?: GrantPurpose) =>
  `${holder.type}:${holder.id}\n${memoryId}${purpose ? `\nuse:${purpose.commandDigest}` : ''}`;

export class GrantStore {
  private readonly byKey = new Map<string, Grant>();

  /** `lockedDown` is read at every mint: no grant comes into being while it answers true. */
  constructor(private readonly lockedDown: () => boolean) {}

  /**
   * The live grant of this holder for this memory and purpose (absent: recall); an expired one is
   * dropped on the way. A use grant is never returned for a recall, nor a recall grant for a use.
   */
  find(holder: { type: string; id: string }, memoryId: string, now: number, purpose?: GrantPurpose): Grant | undefined {
    const key = keyOf(holder, memoryId, purpose);
    const g = this.byKey.get(key);
    if (g && g.expiresAt <= now) {
      this.byKey.delete(key);
      return undefined;
    }
    return g;
  }

  /** A new grant (replacing the holder's previous one for the memory), or null during lockdown. */
  mint(input: Omit<Grant, 'grantId'>): Grant | null {
    if (this.lockedDown()) return null;
    const grant: Grant = { ...input, grantId: randomUUID() };
    this.byKey.set(keyOf(input.holder, input.memoryId, input.purpose), grant);
    return grant;
  }

  /** Live grants, soonest expiry first. Expired ones are dropped. */
  list(now: number): Grant[] {
    for (const [k, g] of this.byKey) if (g.expiresAt <= now) this.byKey.delete(k);
    return [...this.byKey.values()].sort((a, b) => a.expiresAt - b.expiresAt);
  }

  /** Delete the grants `match` selects; returns what was deleted (for the audit trail). */
  removeWhere(match: (g: Grant) => boolean): Grant[] {
    const removed: Grant[] = [];
    for (const [k, g] of this.byKey) {
      if (match(g)) {
        this.byKey.delete(k);
        removed.push(g);
      }
    }
    return removed;
  }

  get size(): number {
    return this.byKey.size;
  }
}
