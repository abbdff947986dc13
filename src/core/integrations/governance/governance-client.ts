// Agent-OS governance (DESIGN §7): before a sensitive action, ask the daemon whether this agent
// is one it knows (`verify_agent`, asked once per agent and session) and whether it may do this
// (`request_permission`). Fail closed: with a daemon configured, no well-formed "yes" means no.
// Without a daemon, governance is simply not in force and says so. Every answer is reported to
// `onDecision`, which the shell writes to the audit log.
import { z } from 'zod';
import type { Level } from '../../levels.js';
import { cleanDaemonText, DaemonUnavailableError, type DaemonChannel, type DaemonParam } from '../daemon-channel.port.js';

export type GovernanceCommand = 'verify_agent' | 'request_permission';

export interface GovernanceDecision {
  readonly command: GovernanceCommand;
  readonly agentId: string;
  readonly action: string | null;
  readonly memoryId: string | null;
  readonly permitted: boolean;
  readonly reason: string;
  /** false when no daemon is configured (nothing was asked). */
  readonly consulted: boolean;
}

export interface GovernanceStatus {
  readonly configured: boolean;
  readonly reachable: boolean;
  readonly where: string | null;
  readonly mode: string | null;
  readonly detail: string;
}

const verifyReplySchema = z.union([
  z.object({ verified: z.boolean(), reason: z.string().max(4096).optional() }).loose(),
  z
    .object({ permitted: z.boolean(), reason: z.string().max(4096).optional() })
    .loose()
    .transform((r) => ({ ...r, verified: r.permitted })),
]);
const permissionReplySchema = z.object({ permitted: z.boolean(), reason: z.string().max(4096).optional() }).loose();
const statusReplySchema = z.object({ mode: z.string().max(64).optional() }).loose();

const why = (e: unknown): string => (e instanceof DaemonUnavailableError ? cleanDaemonText(e.message) : 'governance daemon error');

export class GovernanceClient {
  private readonly known = new Set<string>();

  constructor(
    private readonly channel: DaemonChannel | null,
    private readonly onDecision: (decision: GovernanceDecision) => Promise<void> = () => Promise.resolve(),
  ) {}

  get configured(): boolean {
    return this.channel !== null;
  }

  private async decide(d: GovernanceDecision): Promise<GovernanceDecision> {
    await this.onDecision(d);
    return d;
  }

  /**
   * One question to the daemon: its reply parsed, or a refusal (daemon unavailable or a malformed
   * reply) — failing closed either way. `verdict` turns a well-formed reply into the decision.
   */
  private async ask<S extends z.ZodType>(
    base: Omit<GovernanceDecision, 'permitted' | 'reason' | 'consulted'>,
    params: Readonly<Record<string, DaemonParam>>,
    schema: S,
    verdict: (reply: z.output<S>) => { permitted: boolean; reason: string },
  ): Promise<GovernanceDecision> {
    const refuse = (reason: string) => this.decide({ ...base, permitted: false, reason, consulted: true });
    if (!this.channel) return { ...base, permitted: true, reason: 'governance not configured', consulted: false };
    let reply: unknown;
    try {
      reply = await this.channel.request(base.command, params);
    } catch (e) {
      return refuse(`governance daemon unavailable (${why(e)}); failing closed`);
    }
    const parsed = schema.safeParse(reply);
    if (!parsed.success) return refuse(`governance daemon sent a malformed ${base.command} reply; failing closed`);
    const v = verdict(parsed.data);
    return this.decide({ ...base, permitted: v.permitted, reason: cleanDaemonText(v.reason), consulted: true });
  }

  async verifyAgent(agentId: string): Promise<GovernanceDecision> {
    const base = { command: 'verify_agent' as const, agentId, action: null, memoryId: null };
    if (this.channel && this.known.has(agentId))
      return { ...base, permitted: true, reason: 'agent already verified in this session', consulted: false };
    return this.ask(base, { agent_id: agentId }, verifyReplySchema, (r) => {
      if (r.verified) this.known.add(agentId);
      return { permitted: r.verified, reason: r.reason ?? (r.verified ? 'agent verified' : 'agent not verified') };
    });
  }

  async requestPermission(req: { agentId: string; action: string; memoryId?: string; level?: Level }): Promise<GovernanceDecision> {
    const base = { command: 'request_permission' as const, agentId: req.agentId, action: req.action, memoryId: req.memoryId ?? null };
    const params = { agent_id: req.agentId, action: req.action, memory_id: req.memoryId ?? null, memory_class: req.level ?? null };
    return this.ask(base, params, permissionReplySchema, (r) => ({
      permitted: r.permitted,
      reason: r.reason ?? (r.permitted ? 'permitted' : 'not permitted'),
    }));
  }

  /** Verify the agent if it is new to this session, then ask for the action. */
  async authorize(req: { agentId: string; action: string; memoryId?: string; level?: Level }): Promise<GovernanceDecision> {
    const verified = await this.verifyAgent(req.agentId);
    if (!verified.permitted) return verified;
    return this.requestPermission(req);
  }

  async status(): Promise<GovernanceStatus> {
    if (!this.channel)
      return {
        configured: false,
        reachable: false,
        where: null,
        mode: null,
        detail: 'no Agent-OS daemon configured; governance is not in force',
      };
    try {
      const parsed = statusReplySchema.safeParse(await this.channel.request('status', {}));
      if (!parsed.success)
        return {
          configured: true,
          reachable: false,
          where: this.channel.description,
          mode: null,
          detail: 'the daemon answered status with a malformed reply',
        };
      return {
        configured: true,
        reachable: true,
        where: this.channel.description,
        mode: parsed.data.mode ? cleanDaemonText(parsed.data.mode, 64) : null,
        detail: 'daemon answers',
      };
    } catch (e) {
      return { configured: true, reachable: false, where: this.channel.description, mode: null, detail: why(e) };
    }
  }
}
