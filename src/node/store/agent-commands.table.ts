// The `agent_commands` table (migration 8): each agent's command allowlist (issue 19).
// Store layer: SQL only. Writers are called from inside `engine.runAudited` work
// (command-allowlist.service.ts), so each row change commits with its `command.allow` / `command.disallow` leaf.
// Every row read back is parsed (zod for the columns, the entry schema for their content): a
// row that does not parse is VAULT_CORRUPT, never a command someone could run.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { agentCommandInputSchema, tokensOf, type AgentCommand } from '../../core/allowlist/agent-command.js';
import { VaultError } from '../../core/errors.js';
import type { SqliteDatabase } from './encrypted-database.js';
import type { AgentCommandFields } from '../../core/allowlist/agent-command.js';

const rowSchema = z
  .object({
    id: z.string().uuid(),
    agent_id: z.string().min(1).max(64),
    exec: z.string(),
    args: z.string(),
    cwd: z.string(),
    timeout_ms: z.number().int(),
    env_names: z.string(),
    created_at: z.number().int(),
  })
  .strict();

const jsonStrings = z.array(z.string());

function parseJsonStrings(text: string): string[] | undefined {
  try {
    const r = jsonStrings.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** A row as stored → an entry, re-validated exactly as the owner's input was. */
export function parseAgentCommandRow(raw: unknown): AgentCommand {
  const corrupt = () => new VaultError('VAULT_CORRUPT', 'An agent command allowlist row is malformed.');
  const r = rowSchema.safeParse(raw);
  if (!r.success) throw corrupt();
  const args = parseJsonStrings(r.data.args);
  const envNames = parseJsonStrings(r.data.env_names);
  if (!args || !envNames) throw corrupt();
  const entry = agentCommandInputSchema.safeParse({ exec: r.data.exec, args, cwd: r.data.cwd, timeoutMs: r.data.timeout_ms, envNames });
  if (!entry.success) throw corrupt();
  return {
    id: r.data.id,
    agentId: r.data.agent_id,
    exec: entry.data.exec,
    args: tokensOf(entry.data.args),
    cwd: entry.data.cwd,
    timeoutMs: entry.data.timeoutMs,
    envNames: entry.data.envNames,
    createdAt: r.data.created_at,
  };
}

/** A row as stored: args in the owner's pattern spelling (command-pattern.ts). */
export interface AgentCommandRowInput extends AgentCommandFields {
  readonly args: readonly string[];
  readonly createdAt: number;
}

const COLUMNS = 'id, agent_id, exec, args, cwd, timeout_ms, env_names, created_at';

/** Prepared statements of the table, typed by their bind parameters. */
export class AgentCommandsTable {
  private readonly insertStmt: Statement<[string, string, string, string, string, number, string, number]>;
  private readonly byAgentStmt: Statement<[string]>;
  private readonly oneStmt: Statement<[string, string]>;
  private readonly deleteStmt: Statement<[string, string]>;

  constructor(db: SqliteDatabase) {
    this.insertStmt = db.prepare(`INSERT INTO agent_commands (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.byAgentStmt = db.prepare(`SELECT ${COLUMNS} FROM agent_commands WHERE agent_id = ? ORDER BY created_at, id`);
    this.oneStmt = db.prepare(`SELECT ${COLUMNS} FROM agent_commands WHERE agent_id = ? AND id = ?`);
    this.deleteStmt = db.prepare('DELETE FROM agent_commands WHERE agent_id = ? AND id = ?');
  }

  insert(row: AgentCommandRowInput): void {
    this.insertStmt.run(
      row.id,
      row.agentId,
      row.exec,
      JSON.stringify(row.args),
      row.cwd,
      row.timeoutMs,
      JSON.stringify(row.envNames),
      row.createdAt,
    );
  }

  listFor(agentId: string): AgentCommand[] {
    return this.byAgentStmt.all(agentId).map(parseAgentCommandRow);
  }

  /** One entry of this agent; another agent's entry is as absent as a missing one. */
  get(agentId: string, id: string): AgentCommand | undefined {
    const raw: unknown = this.oneStmt.get(agentId, id);
    return raw === undefined ? undefined : parseAgentCommandRow(raw);
  }

  /** True when a row was deleted. */
  delete(agentId: string, id: string): boolean {
    return this.deleteStmt.run(agentId, id).changes > 0;
  }
}
