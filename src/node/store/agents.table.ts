// The `agents` table: agent identities with the SHA-256 of their bearer token (never the token).
// create/revoke/suspend/resume are called from inside `engine.runAudited` work (owner-server.ts,
// desktop-agents.ts, the CLI's agents command, registry-agent-suspender.ts); last_used_at is
// bookkeeping of a use the authentication already audited. Rows are parsed, never cast.
import { z } from 'zod';
import type { SqliteDatabase } from './encrypted-database.js';
import { parseRow } from './row-parse.js';

const rowSchema = z.object({
  id: z.string(),
  name: z.string(),
  token_hash: z.instanceof(Buffer),
  max_level: z.number().int(),
  namespaces: z.string().nullable(),
  created_at: z.number(),
  expires_at: z.number().nullable(),
  revoked_at: z.number().nullable(),
  last_used_at: z.number().nullable(),
  suspended_at: z.number().nullable(),
  suspended_reason: z.string().nullable(),
});

export type AgentRow = z.infer<typeof rowSchema>;

const statusSchema = rowSchema.pick({ revoked_at: true, expires_at: true, suspended_at: true });
export type AgentStatusRow = z.infer<typeof statusSchema>;

export interface NewAgentRow {
  readonly id: string;
  readonly name: string;
  readonly tokenHash: Buffer;
  readonly maxLevel: number;
  /** JSON array text, or null for every namespace. */
  readonly namespaces: string | null;
  readonly createdAt: number;
  readonly expiresAt: number | null;
}

export interface AgentsTable {
  insert(row: NewAgentRow): void;
  get(id: string): AgentRow | undefined;
  byIdOrName(idOrName: string): AgentRow[];
  byTokenHash(tokenHash: Buffer): AgentRow | undefined;
  status(id: string): AgentStatusRow | undefined;
  list(): AgentRow[];
  /** true when this call revoked it (false: absent or already revoked). */
  revoke(id: string, at: number): boolean;
  /** true when this call suspended it (false: absent or already suspended). */
  suspend(id: string, at: number, reason: string): boolean;
  resume(id: string): void;
  touch(id: string, at: number): void;
}

const COLUMNS =
  'id, name, token_hash, max_level, namespaces, created_at, expires_at, revoked_at, last_used_at, suspended_at, suspended_reason';

export function agentsTable(db: SqliteDatabase): AgentsTable {
  const insert = db.prepare(
    'INSERT INTO agents (id, name, token_hash, max_level, namespaces, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare(`SELECT ${COLUMNS} FROM agents WHERE id = ?`);
  const byIdOrName = db.prepare(`SELECT ${COLUMNS} FROM agents WHERE id = ? OR name = ?`);
  const byToken = db.prepare(`SELECT ${COLUMNS} FROM agents WHERE token_hash = ?`);
  const status = db.prepare('SELECT revoked_at, expires_at, suspended_at FROM agents WHERE id = ?');
  const all = db.prepare(`SELECT ${COLUMNS} FROM agents ORDER BY created_at`);
  const revoke = db.prepare('UPDATE agents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const suspend = db.prepare('UPDATE agents SET suspended_at = ?, suspended_reason = ? WHERE id = ? AND suspended_at IS NULL');
  const resume = db.prepare('UPDATE agents SET suspended_at = NULL, suspended_reason = NULL WHERE id = ?');
  const touch = db.prepare('UPDATE agents SET last_used_at = ? WHERE id = ?');
  const parse = (raw: unknown): AgentRow => parseRow(rowSchema, raw, 'An agent row');
  const one = (raw: unknown): AgentRow | undefined => (raw === undefined ? undefined : parse(raw));
  return {
    insert: (r) => {
      insert.run(r.id, r.name, r.tokenHash, r.maxLevel, r.namespaces, r.createdAt, r.expiresAt);
    },
    get: (id) => one(byId.get(id)),
    byIdOrName: (idOrName) => byIdOrName.all(idOrName, idOrName).map(parse),
    byTokenHash: (hash) => one(byToken.get(hash)),
    status: (id) => {
      const raw: unknown = status.get(id);
      return raw === undefined ? undefined : parseRow(statusSchema, raw, 'An agent row');
    },
    list: () => all.all().map(parse),
    revoke: (id, at) => revoke.run(at, id).changes > 0,
    suspend: (id, at, reason) => suspend.run(at, reason, id).changes > 0,
    resume: (id) => {
      resume.run(id);
    },
    touch: (id, at) => {
      touch.run(at, id);
    },
  };
}
