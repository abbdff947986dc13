// The owner's boundary settings, stored in vault_state. `daemon` says where environment verdicts
// come from: "auto" asks the daemon when its socket exists and falls back to local detection
// otherwise; a path always asks that daemon (and fails closed without it); "off" never asks one.
import { z } from 'zod';
import { VaultError } from '../../errors.js';
import type { StateStore } from '../state-store.port.js';

export const BOUNDARY_STATE_KEY = 'integrations.boundary';

export const boundaryConfigSchema = z
  .object({
    daemon: z.union([z.literal('auto'), z.literal('off'), z.string().min(1).max(1024)]),
    /** The owner asserts this machine is air-gapped (local gate only; a daemon speaks for itself). */
    airgap: z.boolean(),
    /** Highest level the local gate releases while the machine is online (levels 4–5 need 4/5 here). */
    onlineMaxLevel: z.number().int().min(2).max(5),
    /**
     * 'enforce': every agent recall, use and store first asks the same Agent-OS endpoint's
     * governance (`verify_agent`, `request_permission` with `memory_class`), failing closed.
     * Absent in settings saved before governance could be enforced: it means 'off'.
     */
    governance: z.enum(['off', 'enforce']).optional(),
    /**
     * The owner says models outside this machine (a cloud model behind an MCP client or an
     * agent) can receive what agents recall. Reference §7: the vault then refuses level ≥ 3
     * recalls, whatever the environment says. Absent in older settings: false.
     */
    externalModels: z.boolean().optional(),
  })
  .strict();

export type BoundaryConfig = z.infer<typeof boundaryConfigSchema>;

export const DEFAULT_BOUNDARY_CONFIG: BoundaryConfig = { daemon: 'auto', airgap: false, onlineMaxLevel: 3 };

export function loadBoundaryConfig(state: Pick<StateStore, 'getState'>): BoundaryConfig {
  const raw = state.getState(BOUNDARY_STATE_KEY);
  if (raw === undefined) return DEFAULT_BOUNDARY_CONFIG;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = null;
  }
  const r = boundaryConfigSchema.safeParse(parsed);
  // A damaged setting must not silently loosen anything: refuse rather than fall back to defaults.
  if (!r.success)
    throw new VaultError('INTEGRITY_FAILURE', 'The stored boundary configuration is damaged; set it again with `memory-vault boundary`.');
  return r.data;
}

export function saveBoundaryConfig(state: StateStore, config: BoundaryConfig): BoundaryConfig {
  const valid = boundaryConfigSchema.parse(config);
  state.transaction(() => state.setState(BOUNDARY_STATE_KEY, JSON.stringify(valid)), 'full');
  return valid;
}
