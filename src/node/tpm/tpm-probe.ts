// Invariant: probing is read-only (version and capability queries, no objects, no sessions) and
// never throws for an absent TPM or absent tools: absence is a normal, typed answer.

import { isVaultError } from '../../core/errors.js';
import { createToolRunner, type ToolRunner } from './tpm2-tools.runner.js';
import { mutexForTarget } from './mutex.js';
import { readDaState, type DaState } from './tpm-da.js';

export interface PcrBankInfo {
  readonly bank: string;
  /** Allocated PCR indices; empty when the bank exists but is not allocated. */
  readonly pcrs: readonly number[];
}

export interface TpmPresent {
  readonly present: true;
  readonly toolsVersion: string | undefined;
  readonly manufacturer: string | undefined;
  readonly vendor: string | undefined;
  readonly specRevision: string | undefined;
  readonly firmwareVersion: string | undefined;
  readonly pcrBanks: readonly PcrBankInfo[];
  readonly dictionaryAttack: DaState | undefined;
}

export interface TpmAbsent {
  readonly present: false;
  readonly reason: 'tools-missing' | 'no-tpm' | 'error';
  readonly toolsVersion: string | undefined;
  /** Human sentence for a `doctor` command. */
  readonly message: string;
}

export type TpmProbeResult = TpmPresent | TpmAbsent;

const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** `tool="tpm2_getcap" version="5.4" …` → "5.4". */
export function parseToolsVersion(out: string): string | undefined {
  return /version="([^"]+)"/.exec(out)?.[1];
}

function propValue(out: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:\\s*\\n\\s+raw:\\s*(0x[0-9A-Fa-f]+|\\d+)(?:\\s*\\n\\s+value:\\s*(.*))?`, 'm').exec(out);
  if (!m) return undefined;
  return (m[2] ?? m[1])?.trim().replace(/^"(.*)"$/, '$1');
}

/** Parses `tpm2_getcap properties-fixed`. */
export function parseFixedProperties(out: string): Pick<TpmPresent, 'manufacturer' | 'vendor' | 'specRevision' | 'firmwareVersion'> {
  const vendor = [1, 2, 3, 4]
    .map((i) => propValue(out, `TPM2_PT_VENDOR_STRING_${i}`) ?? '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const fw = [1, 2].map((i) => propValue(out, `TPM2_PT_FIRMWARE_VERSION_${i}`)).filter((v): v is string => v !== undefined);
  return {
    manufacturer: propValue(out, 'TPM2_PT_MANUFACTURER'),
    vendor: vendor.length > 0 ? vendor : undefined,
    specRevision: propValue(out, 'TPM2_PT_REVISION'),
    firmwareVersion: fw.length > 0 ? fw.join('.') : undefined,
  };
}

/** Parses `tpm2_getcap pcrs` (`  - sha256: [ 0, 1, … ]`). */
export function parsePcrBanks(out: string): PcrBankInfo[] {
  const banks: PcrBankInfo[] = [];
  for (const m of out.matchAll(/^\s*-\s*(\w+):\s*\[([^\]]*)\]/gm)) {
    if (!m[1]) continue;
    const list = (m[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    banks.push({ bank: m[1], pcrs: list.map(Number).filter((n) => Number.isInteger(n)) });
  }
  return banks;
}

async function probeWith(runner: ToolRunner): Promise<TpmProbeResult> {
  let toolsVersion: string | undefined;
  try {
    toolsVersion = parseToolsVersion(text(await runner.run('tpm2_getcap', ['--version'])));
    const fixed = parseFixedProperties(text(await runner.run('tpm2_getcap', ['properties-fixed'])));
    const pcrBanks = parsePcrBanks(text(await runner.run('tpm2_getcap', ['pcrs'])));
    const dictionaryAttack = await readDaState(runner);
    return { present: true, toolsVersion, ...fixed, pcrBanks, dictionaryAttack };
  } catch (e) {
    if (!isVaultError(e)) throw e;
    const reason = e.details['reason'];
    if (reason === 'tools-missing') return { present: false, reason, toolsVersion, message: e.message };
    if (e.code === 'TPM_UNAVAILABLE') return { present: false, reason: 'no-tpm', toolsVersion, message: e.message };
    return { present: false, reason: 'error', toolsVersion, message: e.message };
  }
}

/**
 * Reports whether a TPM is reachable through `tcti` (undefined = the tools' default device),
 * which tpm2-tools version is installed, who made the TPM and which PCR banks it has.
 */
export async function probeTpm(tcti?: string, options: { timeoutMs?: number } = {}): Promise<TpmProbeResult> {
  const runner = createToolRunner({ tcti, timeoutMs: options.timeoutMs ?? 30_000 });
  return mutexForTarget(tcti).run(() => probeWith(runner));
}
