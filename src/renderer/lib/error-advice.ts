// What the owner can do about each error code, shown under the message (the message says what
// happened; this says what next). Exhaustive over the shared code list: a new code does not
// compile until it has its advice. INVALID_INPUT has none — its message names the field to fix.
import type { IpcErrorCode } from '../../shared/errors.contract.js';

export const ERROR_ADVICE = {
  LOCKDOWN: 'Lockdown is on. Check the audit log, then lift it from the header.',
  TOMBSTONED: 'This memory was tombstoned and its content destroyed. Restore a backup if you need it back.',
  NOT_FOUND: 'It may have been removed meanwhile. Refresh the list and try again.',
  FORBIDDEN: "This is beyond the requester's level or namespaces. Change the agent's limits on the Agents tab if that is intended.",
  APPROVAL_REQUIRED: 'Approve the request in the approval dialog to continue.',
  APPROVAL_DENIED: 'The request was denied, so nothing was released. Ask again if that was a mistake.',
  APPROVAL_EXPIRED: 'Nobody decided in time. Ask again and decide before the countdown ends.',
  APPROVAL_CANCELLED: 'The request was withdrawn before a decision; nothing was released.',
  COOLDOWN: 'This memory has a cooldown between recalls. Try again when it has passed.',
  TOKEN_REQUIRED: 'Insert your registered security key and touch it when asked.',
  TOKEN_MISMATCH: 'That is not the key this memory is sealed to. Use the key listed on the Security keys tab.',
  HARDWARE_REQUIRED: 'This level needs hardware (a security key or the TPM). Connect it and retry.',
  BOUNDARY_DENIED: 'Levels 4 and 5 open only on an offline or air-gapped machine. Disconnect from the network and retry.',
  INTEGRITY_FAILURE:
    'Stored data failed its integrity check: do not trust it. Engage Lockdown, export a proof bundle and restore a verified backup.',
  BAD_CREDENTIALS: 'Check the passphrase, keyfile or TPM PIN and try again.',
  VAULT_NOT_FOUND: 'There is no vault in this folder. Create one, or open the folder that holds yours.',
  VAULT_EXISTS: 'A vault already exists here. Unlock it instead of creating a new one.',
  VAULT_CORRUPT: 'The vault files are damaged. Restore from a backup that verifies (Backup tab).',
  VAULT_LOCKED: 'The vault is locked. Unlock it and try again.',
  VAULT_BUSY: 'Another program has this vault open. Close it, or wait a moment, and retry.',
  INVALID_INPUT: '',
  AUDIT_FAILURE: 'The audit log could not be written, so nothing was changed. Check free disk space and retry.',
  STORAGE_FULL: 'The disk is full. Free some space and retry.',
  RATE_LIMITED: 'Too many attempts in a short time. Wait a minute and retry.',
  UNAUTHORIZED: 'This window is not allowed to do that. Restart Memory Vault.',
  TPM_UNAVAILABLE: 'The TPM did not answer. Check that it is enabled (or that swtpm runs) and retry.',
  TPM_POLICY_MISMATCH: "This machine's boot state changed since the key was sealed. Unlock another way and seal the key again.",
  TPM_AUTH_FAILED: 'Wrong TPM PIN. Check it and retry; repeated failures lock the TPM for a while.',
  TPM_LOCKOUT: 'The TPM locked itself after wrong PINs. Wait for the lockout to end, then retry.',
  FIDO2_ERROR: 'The security key did not answer as expected. Re-insert it and retry.',
  INTERNAL: 'Something unexpected failed. Retry; if it keeps failing, lock and unlock the vault.',
  APPROVAL_MISMATCH: 'The request changed while it was on screen. Review it again before deciding.',
  AGENT_SUSPENDED: 'This agent is suspended. Lift the suspension on the Agents tab if you trust it again.',
  SERVER_UNTRUSTED: 'The vault service could not prove it is yours. Do not enter credentials; check what is running.',
  COMMAND_NOT_ALLOWED: "That command is not on the agent's allowlist. Add it if you want the agent to run it.",
  REFERENCE_AMBIGUOUS: 'Several memories match. Use the full memory id.',
  SECRET_UNMASKABLE: 'This secret is too short to be masked in command output. Store a longer one.',
  CANCELLED: 'The operation was cancelled; nothing was changed.',
} as const satisfies Record<IpcErrorCode, string>;

export function adviceFor(code: IpcErrorCode): string {
  return ERROR_ADVICE[code];
}
