// Refusals are counted in memory by the engine that sees them, and every CLI invocation is its
// own engine: ten refused requests spread over ten `memory-vault` runs never tripped the rule.
// A new engine therefore replays the last window of the audit log into its detector. The log is
// the persistence — every counted refusal is already a leaf — so there is no second counter to
// keep in step, and one that could be edited would have to survive the log's own verification.
// Replay follows the live rules: nothing counts while lockdown is on, lifting it clears every
// count, an agent suspended for a burst starts from zero, and so does one the owner resumes.
import { z } from 'zod';
import type { ErrorCode } from '../errors.js';
import type { AuditLeafStorePort } from '../ports/vault-repository.port.js';
import type { AnomalyDetector } from './lockdown.js';

/** The fields of a stored leaf that replay reads; anything else in it is ignored. */
const leafSchema = z.object({
  kind: z.string(),
  actor: z.object({ type: z.string(), id: z.string() }),
  outcome: z.string(),
  code: z.string().optional(),
  details: z.object({ agentId: z.string().optional() }).optional(),
});

/** More leaves than this inside one window are not replayed past (a bound on unlock time). */
export const MAX_REPLAYED_LEAVES = 50_000;

function parseLeaf(json: string): z.infer<typeof leafSchema> | null {
  try {
    const parsed = leafSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function replayRecentRefusals(args: {
  readonly detector: AnomalyDetector;
  readonly log: Pick<AuditLeafStorePort, 'queryAudit'>;
  readonly now: number;
  readonly windowMs: number;
  readonly countedCodes: ReadonlySet<ErrorCode>;
  readonly lockdownOn: boolean;
}): number {
  // While lockdown is on refusals are not counted, and lifting it resets the detector anyway.
  if (args.lockdownOn) return 0;
  const counted: ReadonlySet<string> = args.countedCodes;
  const records = args.log.queryAudit({ fromTs: args.now - args.windowMs, toTs: args.now, limit: MAX_REPLAYED_LEAVES });
  let replayed = 0;
  let locked = false;
  for (const record of records) {
    const leaf = parseLeaf(record.json);
    if (!leaf) continue;
    const agentId = leaf.details?.agentId;
    if (leaf.kind === 'lockdown.on') locked = true;
    else if (leaf.kind === 'lockdown.off') {
      locked = false;
      args.detector.reset();
    } else if (leaf.kind === 'agent.suspend' && agentId !== undefined) {
      args.detector.forget(`agent:${agentId}`);
      args.detector.recordSuspension(agentId, record.ts);
    } else if (leaf.kind === 'agent.resume' && agentId !== undefined) args.detector.forget(`agent:${agentId}`);
    else if (!locked && leaf.outcome === 'refused' && leaf.code !== undefined && counted.has(leaf.code)) {
      args.detector.record(`${leaf.actor.type}:${leaf.actor.id}`, record.ts);
      replayed += 1;
    }
  }
  return replayed;
}
