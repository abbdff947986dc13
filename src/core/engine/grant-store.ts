// Level-3 grants: the owner's "let this agent recall this memory for N minutes". Invariants:
// grants live in memory only (a restart revokes them); none is minted while the vault is in
// lockdown; lockdown, revoking the agent and tombstoning the memory delete theirs (engine-
// context); a recall let through by a grant is still re-checked at delivery (recall-pipeline).
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

export interface Grant {
  readonly grantId: string;
  readonly holder: GrantHolder;
  readonly memoryId: string;
  readonly level: Level;
  readonly grantedAt: number;
  readonly expiresAt: number;
  /** The owner channel that approved the recall which minted this grant. */
  readonly grantedVia: string;
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
  })
  .strict();

const keyOf = (holder: { type: string; id: string }, memoryId: string) => `${holder.type}:${holder.id}\n${memoryId}`;

export class GrantStore {
  private readonly byKey = new Map<string, Grant>();

  /** `lockedDown` is read at every mint: no grant comes into being while it answers true. */
  constructor(private readonly lockedDown: () => boolean) {}

  /** The live grant of this holder for this memory; an expired one is dropped on the way. */
  find(holder: { type: string; id: string }, memoryId: string, now: number): Grant | undefined {
    const key = keyOf(holder, memoryId);
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
    this.byKey.set(keyOf(input.holder, input.memoryId), grant);
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
