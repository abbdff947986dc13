// The one composition of the vault's gates for every owner surface (CLI commands, `serve`, the
// desktop main process). Invariant: a session an owner surface holds was built here, with the
// boundary (environment) gate reading the vault's own settings, the surface's FIDO2 transport
// bound as the level-5 gate, the TPM access, the lockdown rules and the standard unlock-time
// checks — so no surface can silently lack a gate (tests/integration/session-composition.test.ts
// checks both that the surfaces call this and that nothing else in them opens a vault).
import type { ApprovalGate } from '../../core/ports/approval-gate.port.js';
import type { Clock } from '../../core/ports/clock.port.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import type { HardwareKeyBindingOptions } from '../hardware/vault-hardware-key.js';
import { governanceGate } from '../integrations/governance-gate.js';
import { VaultBoundaryGate, type BoundaryDeps } from '../integrations/vault-boundary-gate.js';
import type { Credentials, TpmAccess } from '../vault/credentials.js';
import type { SessionOptions } from '../vault/session-options.js';
import type { VaultSession } from '../vault/vault-session.js';
import { initVault, unlockVault } from './vault-sessions.js';

/** What a surface brings; everything else is the same for all of them. */
export interface OwnerSurface {
  readonly channel: OwnerChannel;
  /** The surface's FIDO2 transport and prompts (terminal, or the desktop window). Required: level 5 is never left unwired. */
  readonly hardwareKey: HardwareKeyBindingOptions;
  /** Plain-words notices for the owner (stderr in the CLI). */
  readonly onWarning: (message: string) => void;
  /** The owner's approval channel; a surface may set it later with engine.setGates (the desktop's broker). */
  readonly approvals?: ApprovalGate;
  /** Seams of the boundary gate (network probe, daemon channel); the machine's own by default. */
  readonly boundary?: BoundaryDeps;
  readonly tpm?: TpmAccess;
  readonly config?: SessionOptions['config'];
  readonly clock?: Clock;
}

export interface OwnerSessionRequest extends OwnerSurface {
  readonly dir: string;
  readonly credentials: Credentials;
}

export interface NewOwnerVaultRequest extends OwnerSessionRequest {
  /** Argon2id cost for passphrase profiles (default 256 MiB, 3 passes). */
  readonly kdfCost?: { opsLimit: number; memLimitBytes: number };
  /** false: a non-exportable profile (backups refused for its life). */
  readonly exportable?: boolean;
}

/** Unlock the vault in `req.dir` for an owner surface, with every gate. */
export async function composeOwnerSession(req: OwnerSessionRequest): Promise<VaultSession> {
  const { environment, options } = gatedOptions(req);
  const session = await unlockVault({ ...options, dir: req.dir, credentials: req.credentials });
  // The boundary settings live in the vault: the gate reads them once the vault is open.
  environment.attach(session.ports.state);
  session.engine.setGates({ governance: governanceGate(session, req.boundary) });
  return session;
}

/** Create a vault in `req.dir` for an owner surface (first run), with every gate. */
export async function composeNewOwnerVault(req: NewOwnerVaultRequest): Promise<VaultSession> {
  const { environment, options } = gatedOptions(req);
  const session = await initVault({
    ...options,
    dir: req.dir,
    credentials: req.credentials,
    ...(req.kdfCost ? { kdfCost: req.kdfCost } : {}),
    ...(req.exportable !== undefined ? { exportable: req.exportable } : {}),
  });
  environment.attach(session.ports.state);
  session.engine.setGates({ governance: governanceGate(session, req.boundary) });
  return session;
}

function gatedOptions(s: OwnerSurface): { environment: VaultBoundaryGate; options: SessionOptions & { channel: OwnerChannel } } {
  const environment = new VaultBoundaryGate(s.boundary);
  return {
    environment,
    options: {
      channel: s.channel,
      gates: { ...(s.approvals ? { approvals: s.approvals } : {}), environment },
      hardwareKey: s.hardwareKey,
      onWarning: s.onWarning,
      ...(s.tpm ? { tpm: s.tpm } : {}),
      ...(s.config ? { config: s.config } : {}),
      ...(s.clock ? { clock: s.clock } : {}),
    },
  };
}
