// The owner's health check (`status --json` → health): database, audit head, witness, boundary
// (including whether its daemon socket may be trusted), TPM, FIDO2 and suspended agents — each
// reported as data, none of it fatal to the report itself.
import { loadBoundaryConfig } from '../../core/integrations/boundary/boundary-config.js';
import type { WitnessStatus } from '../../core/transparency/witness-check.js';
import { boundaryHealth, type BoundaryHealth } from '../../node/integrations/boundary-health.js';
import { probeTpm } from '../../node/tpm/tpm-probe.js';
import type { VaultSession } from '../../node/vault/vault-session.js';
import { AgentRegistry } from '../../node/agent-api/agent-registry.js';
import { suspendedAgents } from '../../node/agent-api/registry-agent-suspender.js';
import { fido2Report } from '../commands/doctor.js';

export interface HealthReport {
  readonly database: 'ok';
  readonly auditHead: { readonly events: number; readonly checkpointSize: number; readonly checkpointAt: string | null };
  readonly witness: WitnessStatus | { readonly state: 'error'; readonly message: string };
  readonly boundary: BoundaryHealth | { readonly error: string };
  readonly tpm: { readonly present: boolean; readonly detail: string };
  readonly fido2: { readonly available: boolean; readonly devices: number; readonly detail: string | null };
  /** Agents a refusal burst suspended; `memory-vault agent resume` lifts each. */
  readonly suspendedAgents: ReturnType<typeof suspendedAgents>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function collectHealth(session: VaultSession): Promise<HealthReport> {
  const latest = session.reads.latestCheckpoint();
  let witness: HealthReport['witness'];
  try {
    witness = session.engine.auditLog.witnessStatus();
  } catch (e) {
    witness = { state: 'error', message: message(e) };
  }
  let boundary: HealthReport['boundary'];
  try {
    boundary = await boundaryHealth(loadBoundaryConfig(session.ports.state));
  } catch (e) {
    boundary = { error: message(e) };
  }
  const tpm = await probeTpm(undefined, { timeoutMs: 5_000 });
  const fido2 = await fido2Report();
  return {
    database: 'ok',
    auditHead: {
      events: session.reads.auditSize(),
      checkpointSize: latest?.size ?? 0,
      checkpointAt: latest ? new Date(latest.createdAt).toISOString() : null,
    },
    witness,
    boundary,
    tpm: tpm.present
      ? { present: true, detail: `${tpm.manufacturer ?? '?'} via tpm2-tools ${tpm.toolsVersion ?? '?'}` }
      : { present: false, detail: `${tpm.reason}: ${tpm.message}` },
    fido2: { available: fido2.available, devices: fido2.devices.length, detail: fido2.message },
    suspendedAgents: suspendedAgents(new AgentRegistry(session.tables.agents)),
  };
}
