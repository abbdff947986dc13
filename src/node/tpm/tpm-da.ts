// Invariant: reading dictionary-attack state is side-effect free (a capability query only) and
// never throws; a caller that cannot learn the state simply reports less.

import type { ToolRunner } from './tpm2-tools.runner.js';

export interface DaState {
  readonly lockoutCounter: number;
  readonly maxAuthFail: number;
  readonly inLockout: boolean;
  /** Wrong PINs the TPM still accepts before it locks out. */
  readonly retriesLeft: number;
}

function hexProp(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}:\\s*(0x[0-9A-Fa-f]+|\\d+)\\s*$`, 'm').exec(text);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Parses `tpm2_getcap properties-variable` output. */
export function parseDaState(text: string): DaState | undefined {
  const lockoutCounter = hexProp(text, 'TPM2_PT_LOCKOUT_COUNTER');
  const maxAuthFail = hexProp(text, 'TPM2_PT_MAX_AUTH_FAIL');
  const lock = /^\s*inLockout:\s*(\d+)\s*$/m.exec(text);
  if (lockoutCounter === undefined || maxAuthFail === undefined) return undefined;
  const inLockout = lock?.[1] === '1';
  return { lockoutCounter, maxAuthFail, inLockout, retriesLeft: inLockout ? 0 : Math.max(0, maxAuthFail - lockoutCounter) };
}

export async function readDaState(runner: ToolRunner): Promise<DaState | undefined> {
  try {
    const out = await runner.run('tpm2_getcap', ['properties-variable']);
    return parseDaState(Buffer.from(out).toString('utf8'));
  } catch {
    return undefined;
  }
}
