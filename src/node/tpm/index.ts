// Public surface of the TPM adapter.
export { TpmSealer, MAX_SECRET_BYTES, type TpmSealerOptions } from './tpm-sealer.js';
export { probeTpm, type TpmProbeResult, type TpmPresent, type TpmAbsent, type PcrBankInfo } from './tpm-probe.js';
export { DEFAULT_PCR_SELECTION, canonicalPcrSelection } from './pcr-selection.js';
export { classifyToolFailure } from './tpm-error.js';
export type { DaState } from './tpm-da.js';
