// Agent identities. Invariant: a bearer token is shown once at creation and stored only as its
// SHA-256; lookups go by hash, so the database never holds a usable token. Revocation, expiry
// and suspension are checked on every call, not only when a connection is opened; a suspended
// agent (refusal burst, anomaly-response.ts) gets AGENT_SUSPENDED until the owner resumes it.
// Names are unique (compared by agentNameKey), so "who is asking" in a dialog names one agent;
// every surface (CLI, owner socket, desktop) creates through `create`, so all refuse a duplicate.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import { isLevel, type Level } from '../../core/levels.js';
import type { Requester } from '../../core/model/requester.js';
import type { RequesterRefusal, RequesterStatusPort } from '../../core/ports/requester-status.port.js';
import { agentsTable, type AgentRow, type AgentsTable } from '../store/agents.table.js';
import { tableFrom, type TableSource } from '../store/table-source.js';

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

const TOKEN_PREFIX = 'mvt_';
const namespacesSchema = z.array(z.string()).nullable();
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * The form two names are compared in: compatibility-normalised, case-folded, spaces collapsed, so
 * "Research Bot", "research  bot" and "Ｒesearch Bot" count as one name to the owner's eye.
 */
export function agentNameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().trim().replace(/\s+/gu, ' ');
}

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

  private readonly table: AgentsTable;

  constructor(
    source: TableSource<AgentsTable>,
    private readonly now: () => number = Date.now,
  ) {
    this.table = tableFrom(source, agentsTable);
  }

  create(input: { name: string; maxLevel: Level; namespaces: readonly string[] | null; expiresAt: number | null }): {
    agent: AgentRecord;
    token: string;
  } {
    this.refuseTakenName(input.name);
    const id = randomUUID();
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.table.insert({
      id,
      name: input.name,
      tokenHash: hashToken(token),
      maxLevel: input.maxLevel,
      namespaces: input.namespaces === null ? null : JSON.stringify(input.namespaces),
      createdAt: this.now(),
      expiresAt: input.expiresAt,
    });
    return { agent: this.get(id), token };
  }

  /**
   * INVALID_INPUT when an agent (revoked ones included: the audit log and `agent revoke <name>`
   * still refer to them) already carries this name. Runs inside the caller's audited transaction.
   */
  private refuseTakenName(name: string): void {
    const key = agentNameKey(name);
    const taken = this.table.list().find((r) => agentNameKey(r.name) === key);
    if (taken)
      throw new VaultError('INVALID_INPUT', 'An agent with this name already exists (revoked agents keep theirs); choose another name.', {
        field: 'name',
        existingAgentId: taken.id,
      });
  }

  get(id: string): AgentRecord {
    const r = this.table.get(id);
    if (!r) throw new VaultError('NOT_FOUND', 'No such agent.');
    return toRecord(r);
  }

  /** Find by id or unique name. */
  find(idOrName: string): AgentRecord {
    const rows = this.table.byIdOrName(idOrName);
    if (rows.length === 0) throw new VaultError('NOT_FOUND', 'No such agent.');
    if (rows.length > 1) throw new VaultError('INVALID_INPUT', 'Several agents have that name; use the id.');
    const [only] = rows;
    if (!only) throw new VaultError('NOT_FOUND', 'No such agent.');
    return toRecord(only);
  }

  list(): AgentRecord[] {
    return this.table.list().map(toRecord);
  }

  revoke(id: string): AgentRecord {
    if (!this.table.revoke(id, this.now())) this.get(id); // NOT_FOUND when absent; already revoked is fine
    return this.get(id);
  }

  /**
   * RequesterStatusPort, asked by the recall pipeline at delivery (inside its transaction): is
   * this agent still allowed to act now? Revoked, expired or vanished → UNAUTHORIZED (as at
   * authentication). Owners and system components are not agents and always pass.
   */
  check(requester: Requester): RequesterRefusal | null {
    if (requester.kind !== 'agent') return null;
    const r = this.table.status(requester.agentId);
    if (!r || r.revoked_at !== null || (r.expires_at !== null && r.expires_at <= this.now())) return 'UNAUTHORIZED';
    // Suspended while the recall waited (its own burst, or the owner's action): nothing is delivered.
    if (r.suspended_at !== null) return 'AGENT_SUSPENDED';
    return null;
  }

  /** Suspend an agent; true when this call suspended it, false when it already was. NOT_FOUND when absent. */
  suspend(id: string, reason: string): boolean {
    const suspended = this.table.suspend(id, this.now(), reason.slice(0, 500));
    if (!suspended) this.get(id); // NOT_FOUND when absent
    return suspended;
  }

  /** Lift a suspension (owner only: the callers are owner surfaces). Resuming an active agent changes nothing. */
  resume(id: string): AgentRecord {
    this.table.resume(id);
    return this.get(id);
  }

  /**
   * The requester a token stands for. Unknown, revoked and expired tokens all get the same
   * UNAUTHORIZED answer, so a caller learns nothing about which tokens exist.
   */
  authenticate(token: unknown): Requester & { kind: 'agent' } {
    if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > 100) throw unauthorized();
    const r = this.table.byTokenHash(hashToken(token));
    const now = this.now();
    if (!r || r.revoked_at !== null || (r.expires_at !== null && r.expires_at <= now)) throw unauthorized();
    // Only a holder of the valid token learns of the suspension.
    if (r.suspended_at !== null)
      throw new VaultError(
        'AGENT_SUSPENDED',
        'This agent is suspended after a burst of refused requests; the owner can resume it (`memory-vault agent resume`).',
      );
    const rec = toRecord(r);
    if (now - (this.lastUseWritten.get(rec.id) ?? 0) > 60_000) {
      this.lastUseWritten.set(rec.id, now);
      this.table.touch(rec.id, now);
    }
    return { kind: 'agent', agentId: rec.id, name: rec.name, maxLevel: rec.maxLevel, namespaces: rec.namespaces };
  }
}

function unauthorized(): VaultError {
  return new VaultError('UNAUTHORIZED', 'A valid agent token is required.');
}
