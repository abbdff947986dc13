// The per-agent command allowlist (issue 19): the owner's list of what an agent may run with a
// secret in its environment, and the check `memory.use` makes against it. Invariants: only
// owner surfaces reach allow/disallow, each change commits with its audit leaf in one
// `engine.runAudited` transaction; an agent's command is run only when it fits one of ITS
// entries exactly (executable, argument pattern, environment names) — anything else is
// COMMAND_NOT_ALLOWED, whatever the agent's level or the memory's.
import { accessSync, constants, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  agentCommandDigest,
  agentCommandInputSchema,
  tokensOf,
  viewOf,
  type AgentCommand,
  type AgentCommandView,
} from '../../core/allowlist/agent-command.js';
import { fillArgs, matchArgs } from '../../core/allowlist/command-pattern.js';
import { VaultError } from '../../core/errors.js';
import type { AuditedWrite } from '../../core/engine/audited-write.js';
import type { AuditEventInput } from '../../core/events/audit-event.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import { AgentCommandsTable } from '../store/agent-commands.table.js';
import { tableFrom, type TableSource } from '../store/table-source.js';
import type { AgentRegistry } from './agent-registry.js';

/** The audited write path (VaultEngine.runAudited), the only way this file changes a row. */
export interface AuditedWriter {
  runAudited<T>(work: (tx: AuditedWrite) => T, event: (result: T) => AuditEventInput | null, durability?: 'normal' | 'full'): Promise<T>;
}

/** How an agent names the command it wants to run. */
export type CommandSpec =
  | { readonly commandId: string; readonly args?: Readonly<Record<string, string>> }
  | { readonly exec: string; readonly argv: readonly string[] };

export const commandSpecSchema = z.union([
  z
    .object({ commandId: z.string().uuid(), args: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), z.string().max(4096)).optional() })
    .strict(),
  z.object({ exec: z.string().min(1).max(4096), argv: z.array(z.string().max(4096)).max(64) }).strict(),
]);

/** An allowed, concrete command: what the runner executes and the approval shows. */
export interface AllowedCommand {
  readonly entry: AgentCommand;
  /** argv as the child gets it, executable first. */
  readonly commandLine: readonly string[];
}

export function commandNotAllowed(message: string): VaultError {
  return new VaultError('COMMAND_NOT_ALLOWED', message);
}

/** At allow time the owner hears at once of a typo (the use-time exec still fails closed). */
function checkOnDisk(exec: string, cwd: string): void {
  try {
    if (!statSync(exec).isFile()) throw new Error('not a file');
    accessSync(exec, constants.X_OK);
  } catch {
    throw new VaultError('INVALID_INPUT', `--exec ${exec} is not an executable file on this machine.`);
  }
  try {
    if (!statSync(cwd).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new VaultError('INVALID_INPUT', `--cwd ${cwd} is not a directory on this machine.`);
  }
}

export class CommandAllowlist {
  private readonly table: AgentCommandsTable;

  constructor(
    source: TableSource<AgentCommandsTable>,
    private readonly writer: AuditedWriter,
    private readonly registry: Pick<AgentRegistry, 'find'>,
    private readonly now: () => number = Date.now,
  ) {
    this.table = tableFrom(source, (db) => new AgentCommandsTable(db));
  }

  /** Owner only: add an entry for an agent (by id or name). */
  async allow(
    agent: string,
    input: unknown,
    channel: OwnerChannel,
    opts: { readonly checkFiles?: boolean } = {},
  ): Promise<AgentCommandView> {
    const parsed = agentCommandInputSchema.safeParse(input);
    if (!parsed.success)
      throw new VaultError(
        'INVALID_INPUT',
        `Invalid command entry: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
      );
    const v = parsed.data;
    const agentId = this.registry.find(agent).id;
    if (opts.checkFiles !== false) checkOnDisk(v.exec, v.cwd);
    const row = { id: randomUUID(), agentId, ...v, createdAt: this.now() };
    const entry: AgentCommand = { ...row, args: tokensOf(v.args) };
    await this.writer.runAudited(
      (tx) => {
        this.table.insert(row);
        tx.noteWrite();
      },
      () => ({
        kind: 'command.allow',
        actor: { type: 'owner', id: channel },
        outcome: 'ok',
        details: {
          agentId,
          commandId: row.id,
          exec: v.exec,
          argc: v.args.length,
          envNames: v.envNames,
          timeoutMs: v.timeoutMs,
          commandDigest: agentCommandDigest(entry),
        },
      }),
    );
    return viewOf(entry);
  }

  /** Owner only: the agent's entries, oldest first. */
  list(agent: string): AgentCommandView[] {
    return this.table.listFor(this.registry.find(agent).id).map(viewOf);
  }

  /** Owner only: remove one entry of the agent; NOT_FOUND for an unknown id or another agent's. */
  async disallow(agent: string, commandId: string, channel: OwnerChannel): Promise<AgentCommandView> {
    const agentId = this.registry.find(agent).id;
    const entry = this.table.get(agentId, commandId);
    if (!entry) throw new VaultError('NOT_FOUND', 'This agent has no allowed command with that id.');
    await this.writer.runAudited(
      (tx) => {
        if (!this.table.delete(agentId, commandId)) throw new VaultError('NOT_FOUND', 'This agent has no allowed command with that id.');
        tx.noteWrite();
      },
      () => ({
        kind: 'command.disallow',
        actor: { type: 'owner', id: channel },
        outcome: 'ok',
        details: { agentId, commandId, commandDigest: agentCommandDigest(entry) },
      }),
    );
    return viewOf(entry);
  }

  /** Agent side (read only): the agent's entries as it may see them (no other agent's). */
  entriesOf(agentId: string): AgentCommandView[] {
    return this.table.listFor(agentId).map(viewOf);
  }

  /**
   * The concrete command an agent asked for, if one of its entries allows it with these
   * environment names; else COMMAND_NOT_ALLOWED naming why (the agent's own entries only, so
   * the message tells it nothing about other agents).
   */
  resolve(agentId: string, spec: CommandSpec, envNames: readonly string[]): AllowedCommand {
    const allowed = (entry: AgentCommand, argv: readonly string[]): AllowedCommand => {
      const extra = envNames.filter((n) => !entry.envNames.includes(n));
      if (extra.length > 0)
        throw commandNotAllowed(
          `The allowed command does not receive ${extra.join(', ')} (it may receive: ${entry.envNames.join(', ') || 'none'}).`,
        );
      return { entry, commandLine: [entry.exec, ...argv] };
    };
    if ('commandId' in spec) {
      const entry = this.table.get(agentId, spec.commandId);
      if (!entry) throw commandNotAllowed('No allowed command of this agent has that id.');
      const filled = fillArgs(entry.args, spec.args ?? {});
      if (!filled.ok) throw commandNotAllowed(`The arguments do not fit the allowed command: ${filled.reason}.`);
      return allowed(entry, filled.argv);
    }
    const candidates = this.table.listFor(agentId).filter((e) => e.exec === spec.exec);
    if (candidates.length === 0)
      throw commandNotAllowed(
        "This executable is not on the agent's command allowlist (the owner adds it with `memory-vault agent allow-command`).",
      );
    let reason = '';
    for (const e of candidates) {
      const m = matchArgs(e.args, spec.argv);
      if (m.ok) return allowed(e, spec.argv);
      reason = m.reason;
    }
    throw commandNotAllowed(`The arguments do not fit any allowed pattern for this executable (${reason}).`);
  }
}
