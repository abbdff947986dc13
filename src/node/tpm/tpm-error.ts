// Invariant: a TPM failure becomes a VaultError whose code says what the user can do about it,
// and whose message and details never contain tool output verbatim (stderr may echo arguments),
// let alone a secret or a PIN. Only the tool name, the Esys call and the response code leak out.

import { VaultError, type ErrorCode } from '../../core/errors.js';

/** What the runner knows about one failed tpm2-tools invocation. */
export interface ToolFailure {
  readonly tool: string;
  readonly stderr: string;
  readonly exitCode?: number | undefined;
  /** errno-style code of a spawn failure, e.g. 'ENOENT' when the binary is missing. */
  readonly spawnErrorCode?: string | undefined;
  readonly timedOut?: boolean | undefined;
}

export interface ParsedRc {
  readonly rc: number;
  readonly call: string;
}

// tpm2-tools 5.4 misspells some calls ("ERROR: Eys_Load(0x1DF)"), so accept `Eys_` too.
const ESYS_RC = /\b(Es?ys_\w+)\((0x[0-9A-Fa-f]+)\)/;
// The TSS's own log line, present unless TSS2_LOG silences it.
const ESYS_LOG_RC = /\b(Esys_\w+)\(\) Esys Finish ErrorCode \((0x[0-9A-Fa-f]+)\)/;

/** Extracts the first `Esys_Xxx(0x…)` response code tpm2-tools printed, if any. */
export function parseEsysRc(stderr: string): ParsedRc | undefined {
  const m = ESYS_RC.exec(stderr) ?? ESYS_LOG_RC.exec(stderr);
  if (!m?.[1] || !m[2]) return undefined;
  return { call: m[1].replace(/^Eys_/, 'Esys_'), rc: Number.parseInt(m[2], 16) };
}

const TPM_RC_FMT1 = 0x080;
const TPM_RC_WARN = 0x900;
const TPM_RC_VER1 = 0x100;

/** Base code of a TPM-layer RC: format-1 codes drop their handle/session/parameter number. */
export function baseRc(rc: number): number {
  if (rc & TPM_RC_FMT1) return rc & 0x0bf;
  return rc & 0xfff;
}

// Format-1 bases (0x080 | error number)
const RC_AUTH_FAIL = 0x08e; // HMAC check failed, DA counter incremented
const RC_BAD_AUTH = 0x0a2; // authorization failure without DA implications
const RC_POLICY_FAIL = 0x09d; // a policy check failed
const RC_INTEGRITY = 0x09f; // integrity check failed (blob not from this TPM / owner seed changed)
// Format-0 codes
const RC_INITIALIZE = TPM_RC_VER1 + 0x000; // TPM not initialized by TPM2_Startup
const RC_LOCKOUT = TPM_RC_WARN + 0x021; // DA lockout
const RC_OBJECT_MEMORY = TPM_RC_WARN + 0x002; // out of memory for object contexts
const RC_SESSION_MEMORY = TPM_RC_WARN + 0x003; // out of memory for session contexts

const TCTI_LAYER = 10;

function err(code: ErrorCode, message: string, failure: ToolFailure, extra: Record<string, string | number> = {}): VaultError {
  return new VaultError(code, message, { tool: failure.tool, ...extra });
}

/** Maps one failed tool run onto the vault's error vocabulary. */
export function classifyToolFailure(failure: ToolFailure): VaultError {
  if (failure.timedOut) {
    return err('TPM_UNAVAILABLE', 'The TPM did not answer in time.', failure, { reason: 'timeout' });
  }
  if (failure.spawnErrorCode === 'ENOENT') {
    return err('TPM_UNAVAILABLE', `TPM tools are not installed (${failure.tool} not found); install tpm2-tools.`, failure, {
      reason: 'tools-missing',
    });
  }
  if (failure.spawnErrorCode) {
    return err('TPM_UNAVAILABLE', `Could not start ${failure.tool}.`, failure, { reason: 'spawn-failed' });
  }
  if (/Could not load tcti/i.test(failure.stderr)) {
    return err('TPM_UNAVAILABLE', 'No TPM is reachable (the TPM device or simulator could not be opened).', failure, {
      reason: 'no-tpm',
    });
  }
  const parsed = parseEsysRc(failure.stderr);
  if (!parsed) {
    return err('INTERNAL', `${failure.tool} failed (exit code ${failure.exitCode ?? 'unknown'}).`, failure);
  }
  const { rc, call } = parsed;
  const details = { esysCall: call, rc: `0x${rc.toString(16).toUpperCase()}` };
  if (rc >>> 16 === TCTI_LAYER) {
    return err('TPM_UNAVAILABLE', 'The connection to the TPM failed.', failure, { ...details, reason: 'tcti-io' });
  }
  if (rc >>> 16 !== 0) {
    return err('INTERNAL', `The TPM software stack rejected ${call}.`, failure, details);
  }
  const base = baseRc(rc);
  if (rc === RC_LOCKOUT) {
    return err(
      'TPM_LOCKOUT',
      'The TPM is in dictionary-attack lockout after too many wrong PINs; wait for it to recover or unlock with the recovery passphrase.',
      failure,
      details,
    );
  }
  if (base === RC_POLICY_FAIL) {
    return err(
      'TPM_POLICY_MISMATCH',
      'The platform state (PCR values) differs from when the key was sealed, so the TPM refuses to release it. Unlock with the recovery passphrase or escrow, then re-seal.',
      failure,
      details,
    );
  }
  if (base === RC_INTEGRITY && /Esys_(Load|ContextLoad)/.test(call)) {
    return err(
      'TPM_POLICY_MISMATCH',
      'This TPM cannot load the sealed key (it was sealed on another TPM, or the TPM was cleared). Unlock with the recovery passphrase or escrow, then re-seal.',
      failure,
      { ...details, reason: 'blob-not-loadable' },
    );
  }
  if (base === RC_AUTH_FAIL || base === RC_BAD_AUTH) {
    if (call === 'Esys_CreatePrimary') {
      return err('TPM_AUTH_FAILED', 'The TPM owner hierarchy is password-protected; it cannot be used for sealing.', failure, {
        ...details,
        reason: 'owner-auth',
      });
    }
    return err('TPM_AUTH_FAILED', 'Wrong TPM PIN.', failure, details);
  }
  if (rc === RC_INITIALIZE) {
    return err('TPM_UNAVAILABLE', 'The TPM has not been started (TPM2_Startup missing).', failure, { ...details, reason: 'not-started' });
  }
  if (rc === RC_OBJECT_MEMORY) {
    return err('INTERNAL', 'The TPM ran out of object slots (a transient object was not flushed).', failure, details);
  }
  if (rc === RC_SESSION_MEMORY) {
    return err('INTERNAL', 'The TPM ran out of session slots (a session was not flushed).', failure, details);
  }
  return err('INTERNAL', `The TPM rejected ${call}.`, failure, details);
}
