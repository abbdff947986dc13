// Invariant: a PCR selection handed to tpm2-tools is always a canonical, validated string, so a
// stored (attacker-modifiable) blob can never smuggle extra options into a tool's argv.

import { VaultError } from '../../core/errors.js';

export const PCR_BANKS = ['sha1', 'sha256', 'sha384', 'sha512'] as const;
export type PcrBank = (typeof PCR_BANKS)[number];
const MAX_PCR = 23;

export interface PcrBankSelection {
  readonly bank: PcrBank;
  readonly pcrs: readonly number[];
}

function invalid(message: string): VaultError {
  return new VaultError('INVALID_INPUT', message);
}

/** Parses `sha256:0,2,4,7` (banks joined by `+`) into a sorted, de-duplicated selection. */
export function parsePcrSelection(text: string): PcrBankSelection[] {
  if (typeof text !== 'string' || text.length === 0 || text.length > 200) throw invalid('PCR selection is empty or too long.');
  const seen = new Set<string>();
  return text.split('+').map((part) => {
    const m = /^(sha1|sha256|sha384|sha512):(\d{1,2}(?:,\d{1,2})*)$/.exec(part);
    const bank = PCR_BANKS.find((b) => b === m?.[1]);
    if (!bank || !m?.[2]) throw invalid('PCR selection must look like "sha256:0,2,4,7".');
    if (seen.has(bank)) throw invalid(`PCR bank ${bank} is listed twice.`);
    seen.add(bank);
    const pcrs = [...new Set(m[2].split(',').map(Number))].sort((a, b) => a - b);
    if (pcrs.some((n) => n > MAX_PCR)) throw invalid(`PCR indices must be 0..${MAX_PCR}.`);
    return { bank, pcrs };
  });
}

export function formatPcrSelection(selection: readonly PcrBankSelection[]): string {
  return selection.map((s) => `${s.bank}:${s.pcrs.join(',')}`).join('+');
}

/** Validates and canonicalizes a selection string. */
export function canonicalPcrSelection(text: string): string {
  return formatPcrSelection(parsePcrSelection(text));
}

/** Production default: firmware (0), option ROMs (2), boot manager (4), Secure Boot state (7). */
export const DEFAULT_PCR_SELECTION = 'sha256:0,2,4,7';
