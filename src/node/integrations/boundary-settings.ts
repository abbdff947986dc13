// Changing where environment verdicts come from (the owner's air-gap assertion, the daemon
// setting, the online policy). Invariant: the new settings and their `boundary.config` leaf
// commit in one transaction (engine.runAudited) — a failed append leaves the old settings, so
// the environment gate never runs on settings the log does not show.
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import type { AuditEventInput } from '../../core/events/audit-event.js';
import {
  BOUNDARY_STATE_KEY,
  boundaryConfigSchema,
  loadBoundaryConfig,
  type BoundaryConfig,
} from '../../core/integrations/boundary/boundary-config.js';

export async function changeBoundaryConfig(
  engine: Pick<VaultEngine, 'runAudited'>,
  patch: Partial<BoundaryConfig>,
  actor: AuditEventInput['actor'],
): Promise<BoundaryConfig> {
  return engine.runAudited(
    (tx) => {
      // Read inside the transaction: two changes in a row each start from the other's result.
      const next = boundaryConfigSchema.parse({ ...loadBoundaryConfig(tx), ...patch });
      tx.setState(BOUNDARY_STATE_KEY, JSON.stringify(next));
      return next;
    },
    (next) => ({
      kind: 'boundary.config',
      actor,
      outcome: 'ok',
      details: {
        daemon: next.daemon,
        airgap: next.airgap,
        onlineMaxLevel: next.onlineMaxLevel,
        governance: next.governance ?? 'off',
        externalModels: next.externalModels === true,
      },
    }),
  );
}
