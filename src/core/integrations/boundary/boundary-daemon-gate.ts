// EnvironmentGate backed by the Agent-OS boundary daemon. Invariant (fail closed): a level ≥ 3
// recall is permitted only when the daemon answered `check_recall` with a well-formed
// `{"permitted": true}`; an absent, slow, dead or babbling daemon means "refused".
import type { Level } from '../../levels.js';
import type { EnvironmentGate, EnvironmentVerdict } from '../../ports/environment-gate.port.js';
import { cleanDaemonText, DaemonUnavailableError, type DaemonChannel } from '../daemon-channel.port.js';
import { checkRecallReplySchema, getModeReplySchema, humanPresenceReplySchema, type BoundaryMode } from './boundary-modes.js';

export type ModeAnswer = { readonly ok: true; readonly mode: BoundaryMode } | { readonly ok: false; readonly error: string };

function failure(e: unknown): string {
  if (e instanceof DaemonUnavailableError) return cleanDaemonText(e.message);
  return 'boundary daemon error';
}

export class BoundaryDaemonGate implements EnvironmentGate {
  constructor(private readonly channel: DaemonChannel) {}

  get description(): string {
    return this.channel.description;
  }

  /** `get_mode`: informational only — it never grants anything by itself. */
  async mode(): Promise<ModeAnswer> {
    try {
      const parsed = getModeReplySchema.safeParse(await this.channel.request('get_mode', {}));
      return parsed.success
        ? { ok: true, mode: parsed.data.mode }
        : { ok: false, error: 'the boundary daemon answered get_mode with an unexpected reply' };
    } catch (e) {
      return { ok: false, error: failure(e) };
    }
  }

  /** `human_presence`: only a well-formed "present" counts; anything else is "absent". */
  async humanPresence(): Promise<{ present: boolean; reason: string }> {
    try {
      const parsed = humanPresenceReplySchema.safeParse(await this.channel.request('human_presence', {}));
      if (!parsed.success) return { present: false, reason: 'the daemon sent a malformed human_presence reply; failing closed' };
      return {
        present: parsed.data.present,
        reason: cleanDaemonText(parsed.data.reason ?? (parsed.data.present ? 'present' : 'nobody present')),
      };
    } catch (e) {
      return { present: false, reason: `human_presence unanswered (${failure(e)}); failing closed` };
    }
  }

  async check(request: { readonly level: Level; readonly memoryId: string }): Promise<EnvironmentVerdict> {
    if (request.level < 3) return { permitted: true, reason: 'levels 0–2 are not environment-gated' };
    let reply: unknown;
    try {
      reply = await this.channel.request('check_recall', { memory_class: request.level });
    } catch (e) {
      return { permitted: false, reason: `boundary daemon unavailable (${failure(e)}); failing closed` };
    }
    const parsed = checkRecallReplySchema.safeParse(reply);
    if (!parsed.success) return { permitted: false, reason: 'boundary daemon sent a malformed check_recall reply; failing closed' };
    const mode = await this.mode();
    const reason = cleanDaemonText(parsed.data.reason ?? 'no reason given');
    const modeText = mode.ok ? ` (mode ${mode.mode})` : '';
    // Level 5 also needs a person at the machine (the reference's COLDROOM + physical presence).
    if (parsed.data.permitted && request.level === 5) {
      const presence = await this.humanPresence();
      if (!presence.present)
        return {
          permitted: false,
          reason: `boundary daemon${modeText}: level 5 needs a person present (${presence.reason})`,
          ...(mode.ok ? { mode: mode.mode } : {}),
        };
    }
    // The engine writes the refusal reason into the audit event: keep the daemon's mode in it.
    return {
      permitted: parsed.data.permitted,
      reason: `boundary daemon${modeText}: ${reason}`,
      ...(mode.ok ? { mode: mode.mode } : {}),
    };
  }
}
