// Which audit key a backup is checked against (`backup verify` / `backup restore`).
// Invariant: the key is the owner's (`--key`, a verifier key or a file holding one, as printed by
// `memory-vault audit key`) or read from the existing vault on disk; never taken from the backup.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { parseVerifierKey } from '../../../core/audit/index.js';
import { VaultError } from '../../../core/errors.js';
import { KEY_HINT, readVaultAuditKey } from '../../../node/backup/vault-audit-key.js';
import { acquireVaultLock } from '../../../node/vault/vault-lock.js';
import { vaultPaths } from '../../../node/vault/vault-paths.js';
import { credentialsFor, type GlobalOptions } from '../../io/vault-access.js';
import { readTextFile } from './secrets.js';

const keyJson = z.object({ verifierKey: z.string() }).passthrough();
const auditKeyOutput = z.object({ ok: z.literal(true), result: keyJson }).passthrough();

function keyFromText(text: string): string | null {
  const trimmed = text.trim();
  if (parseVerifierKey(trimmed).ok) return trimmed;
  // A saved `audit key --json` output, or its result object.
  try {
    const parsed: unknown = JSON.parse(trimmed);
    const k = auditKeyOutput.safeParse(parsed);
    const candidate = k.success ? k.data.result.verifierKey : keyJson.safeParse(parsed).data?.verifierKey;
    if (candidate && parseVerifierKey(candidate.trim()).ok) return candidate.trim();
  } catch {
    /* not JSON */
  }
  const firstLine = trimmed.split(/\r?\n/)[0]?.trim() ?? '';
  return parseVerifierKey(firstLine).ok ? firstLine : null;
}

/** `--key <vkey|file>`: the verifier key itself, or a file that holds it. */
export function parseKeyOption(value: string): string {
  const direct = keyFromText(value);
  if (direct) return direct;
  if (!existsSync(value)) throw new VaultError('INVALID_INPUT', '--key is neither a verifier key (name+hash+base64) nor a readable file.');
  const fromFile = keyFromText(readTextFile(value, 'audit key'));
  if (!fromFile) throw new VaultError('INVALID_INPUT', 'The --key file holds no verifier key (name+hash+base64).');
  return fromFile;
}

/**
 * For `backup verify`: --key, else the audit key of the vault at --vault (opened under its lock,
 * so a running server answers VAULT_BUSY: pass --key then). No vault there: refuse with the hint.
 */
export async function verifyKeyFor(g: GlobalOptions, dir: string, key: string | undefined): Promise<string> {
  if (key !== undefined) return parseKeyOption(key);
  if (!existsSync(vaultPaths(dir).header))
    throw new VaultError('INVALID_INPUT', `No vault in ${dir} to check the backup's signature against. ${KEY_HINT}`);
  const credentials = await credentialsFor(dir, g);
  let lock;
  try {
    lock = acquireVaultLock(dir);
  } catch (e) {
    if (e instanceof VaultError && e.code === 'VAULT_BUSY') throw new VaultError('VAULT_BUSY', `${e.message} ${KEY_HINT}`, e.details);
    throw e;
  }
  try {
    return await readVaultAuditKey(dir, credentials);
  } finally {
    lock.release();
  }
}
