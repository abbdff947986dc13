// Agent identities. Invariant: a bearer token is shown once at creation and stored only as its
// SHA-256; lookups go by hash, so the database never holds a usable token. Revocation, expiry
// and suspension are checked on every call, not only when a connection is opened; a suspended
// agent (refusal burst, anomaly-response.ts) gets AGENT_SUSPENDED until the owner resumes it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import { isLevel, type Level } from '../../core/levels.js';
import type { Requester } from '../../core/model/requester.js';
import type { RequesterRefusal, RequesterStatusPort } from '../../core/ports/requester-status.port.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

export interface AgentRecord {
  readonly id: string;
  readonly name: string;
  readonly maxLevel: Level;
  readonly namespaces: readonly string[] | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
  /** Set while the agent is suspended (a burst of refused requests); lifted only by the owner. */
  readonly suspendedAt: string | null;
  readonly suspendedReason: string | null;
}

interface AgentRow {
  id: string;
  name: string;
  token_hash: Buffer;
  max_level: number;
  namespaces: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  suspended_at: number | null;
  suspended_reason: string | null;
}

const TOKEN_PREFIX = 'mvt_';
const namespacesSchema = z.array(z.string()).nullable();
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function hashToken(token: string): Buffer {
  return createHash('sha256').update('memory-vault agent token v1\n').update(token).digest();
}

function toRecord(r: AgentRow): AgentRecord {
  if (!isLevel(r.max_level)) throw new VaultError('INTEGRITY_FAILURE', 'An agent row carries an impossible level.');
  return {
    id: r.id,
    name: r.name,
    maxLevel: r.max_level,
    namespaces: namespacesSchema.parse(r.namespaces === null ? null : JSON.parse(r.namespaces)),
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: iso(r.expires_at),
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
    suspendedAt: iso(r.suspended_at),
    suspendedReason: r.suspended_reason,
  };
}

export class AgentRegistry implements RequesterStatusPort {
  /** Last-use times are written at most once a minute per agent, not on every call. */
  private readonly lastUseWritten = new Map<string, number>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  create(input: { name: string; maxLevel: Level; namespaces: readonly string[] | null; expiresAt: number | null }): { agent: AgentRecord; token: string } {
    const id = randomUUID();
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.db
      .prepare('INSERT INTO agents (id, name, token_hash, max_level, namespaces, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.name, hashToken(token), input.maxLevel, input.namespaces === null ? null : JSON.stringify(input.namespaces), this.now(), input.expiresAt);
    return { agent: this.get(id), token };
  }

  get(id: string): AgentRecord {
    const r = this.db.prepare('SELECT * FROM agents WHERE id = ?').get(id) as AgentRow | undefined;
    if (!r) throw new VaultError('NOT_FOUND', 'No such agent.');
    return toRecord(r);
  }

  /** Find by id or unique name. */
  find(idOrName: string): AgentRecord {
    const rows = this.db.prepare('SELECT * FROM agents WHERE id = ? OR name = ?').all(idOrName, idOrName) as AgentRow[];
    if (rows.length === 0) throw new VaultError('NOT_FOUND', 'No such agent.');
    if (rows.length > 1) throw new VaultError('INVALID_INPUT', 'Several agents have that name; use the id.');
    return toRecord(rows[0] as AgentRow);
  }

  list(): AgentRecord[] {
    return (this.db.prepare('SELECT * FROM agents ORDER BY created_at').all() as AgentRow[]).map(toRecord);
  }

  revoke(id: string): AgentRecord {
    const info = this.db.prepare('UPDATE agents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.now(), id);
    if (info.changes === 0) this.get(id); // NOT_FOUND when absent; already revoked is fine
    return this.get(id);
  }

  /**
   * RequesterStatusPort, asked by the recall pipeline at delivery (inside its transaction): is
   * this agent still allowed to act now? Revoked, expired or vanished → UNAUTHORIZED (as at
   * authentication). Owners and system components are not agents and always pass.
   */
  check(requester: Requester): RequesterRefusal | null {
    if (requester.kind !== 'agent') return null;
    const r = this.db.prepare('SELECT revoked_at, expires_at, suspended_at FROM agents WHERE id = ?').get(requester.agentId) as
      | Pick<AgentRow, 'revoked_at' | 'expires_at' | 'suspended_at'>
      | undefined;
    if (!r || r.revoked_at !== null || (r.expires_at !== null && r.expires_at <= this.now())) return 'UNAUTHORIZED';
    // Suspended while the recall waited (its own burst, or the owner's action): nothing is delivered.
    if (r.suspended_at !== null) return 'AGENT_SUSPENDED';
    return null;
  }

  /** Suspend an agent; true when this call suspended it, false when it already was. NOT_FOUND when absent. */
  suspend(id: string, reason: string): boolean {
    const info = this.db.prepare('UPDATE agents SET suspended_at = ?, suspended_reason = ? WHERE id = ? AND suspended_at IS NULL').run(this.now(), reason.slice(0, 500), id);
    if (info.changes === 0) this.get(id); // NOT_FOUND when absent
    return info.changes > 0;
  }

  /** Lift a suspension (owner only: the callers are owner surfaces). Resuming an active agent changes nothing. */
  resume(id: string): AgentRecord {
    this.db.prepare('UPDATE agents SET suspended_at = NULL, suspended_reason = NULL WHERE id = ?').run(id);
    return this.get(id);
  }

  /**
   * The requester a token stands for. Unknown, revoked and expired tokens all get the same
   * UNAUTHORIZED answer, so a caller learns nothing about which tokens exist.
   */
  authenticate(token: unknown): Requester & { kind: 'agent' } {
    if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > 100) throw unauthorized();
    const r = this.db.prepare('SELECT * FROM agents WHERE token_hash = ?').get(hashToken(token)) as AgentRow | undefined;
    const now = this.now();
    if (!r || r.revoked_at !== null || (r.expires_at !== null && r.expires_at <= now)) throw unauthorized();
    // Only a holder of the valid token learns of the suspension.
    if (r.suspended_at !== null) throw new VaultError('AGENT_SUSPENDED', 'This agent is suspended after a burst of refused requests; the owner can resume it (`memory-vault agent resume`).');
    const rec = toRecord(r);
    if (now - (this.lastUseWritten.get(rec.id) ?? 0) > 60_000) {
      this.lastUseWritten.set(rec.id, now);
      this.db.prepare('UPDATE agents SET last_used_at = ? WHERE id = ?').run(now, rec.id);
    }
    return { kind: 'agent', agentId: rec.id, name: rec.name, maxLevel: rec.maxLevel, namespaces: rec.namespaces };
  }
}

function unauthorized(): VaultError {
  return new VaultError('UNAUTHORIZED', 'A valid agent token is required.');
}
