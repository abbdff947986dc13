// Agent tokens from the desktop window. Invariants: each create/revoke commits together with its
// audit event (engine.runAudited: one transaction); the token leaves here only inside the
// create reply and is never logged or put into an event; the list is built from registry records,
// which hold the token's hash only.
import { VaultError } from '../../core/errors.js';
import { isLevel } from '../../core/levels.js';
import type { AgentRecord, AgentRegistry } from '../../node/agent-api/agent-registry.js';
import { resumeAgent } from '../../node/agent-api/registry-agent-suspender.js';
import type { VaultSession } from '../../node/vault/vault-session.js';
import type { AgentDto, AgentState, CreatedAgentDto } from '../../shared/agents.contract.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const ACTOR = { type: 'owner', id: 'desktop' } as const;

export interface CreateAgentArgs {
  readonly name: string;
  readonly maxLevel: number;
  readonly namespaces?: readonly string[] | undefined;
  readonly expiresInDays?: number | undefined;
}

export function agentState(record: AgentRecord, now: number): AgentState {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now) return 'expired';
  if (record.suspendedAt !== null) return 'suspended';
  return 'active';
}

export function toAgentDto(record: AgentRecord, now: number): AgentDto {
  return {
    id: record.id,
    name: record.name,
    maxLevel: record.maxLevel,
    namespaces: record.namespaces,
    state: agentState(record, now),
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    lastUsedAt: record.lastUsedAt,
    suspendedAt: record.suspendedAt,
    suspendedReason: record.suspendedReason,
  };
}

export class DesktopAgents {
  constructor(
    private readonly session: VaultSession,
    private readonly registry: AgentRegistry,
    private readonly now: () => number,
  ) {}

  list(): AgentDto[] {
    const now = this.now();
    return this.registry.list().map((r) => toAgentDto(r, now));
  }

  async create(args: CreateAgentArgs): Promise<CreatedAgentDto> {
    const maxLevel = args.maxLevel;
    if (!isLevel(maxLevel)) throw new VaultError('INVALID_INPUT', 'The maximum level is 0 to 5.');
    const input = {
      name: args.name,
      maxLevel,
      namespaces: args.namespaces && args.namespaces.length > 0 ? [...args.namespaces] : null,
      expiresAt: args.expiresInDays === undefined ? null : this.now() + args.expiresInDays * DAY_MS,
    };
    const created = await this.session.engine.runAudited(
      () => this.registry.create(input),
      (c) => ({
        kind: 'agent.create',
        actor: ACTOR,
        outcome: 'ok',
        details: { agentId: c.agent.id, name: c.agent.name, maxLevel: c.agent.maxLevel },
      }),
    );
    return { agent: toAgentDto(created.agent, this.now()), token: created.token };
  }

  /** Lift a suspension; the row and its agent.resume event commit together. */
  async resume(agentId: string): Promise<AgentDto> {
    this.registry.get(agentId); // NOT_FOUND for an unknown id
    return toAgentDto(await resumeAgent(this.session.engine, this.registry, agentId, 'desktop'), this.now());
  }

  /** Revoking twice is harmless: the second call changes nothing and records nothing. */
  async revoke(agentId: string): Promise<AgentDto> {
    const current = this.registry.get(agentId); // NOT_FOUND for an unknown id
    if (current.revokedAt !== null) return toAgentDto(current, this.now());
    const revoked = await this.session.engine.runAudited(
      () => this.registry.revoke(agentId),
      (a) => ({ kind: 'agent.revoke', actor: ACTOR, outcome: 'ok', details: { agentId: a.id } }),
    );
    // Its pending requests end now (the waiting recalls refuse with UNAUTHORIZED); its grants go.
    await this.session.engine.onRequesterRevoked(revoked.id);
    return toAgentDto(revoked, this.now());
  }
}
