// vault.json: the only unencrypted vault file. It holds no secret in the clear: KDF parameters,
// salts and AEAD-wrapped keys. It is parsed with a strict schema when read back, and written
// atomically (temp file, fsync, rename) with mode 0600.
import { z } from 'zod';
import { argon2idParamsSchema, base64Schema } from '../../core/crypto/kdf-params.schema.js';
import { VaultError } from '../../core/errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { readJsonState } from '../fs/json-state-file.js';

const b64 = base64Schema;

/**
 * The fields of a TPM SealedBlob (src/node/tpm/sealed-blob.ts): the sealed object's public and
 * private parts, the PCR selection of its policy and whether its auth needs a PIN. The blob is
 * validated again, strictly, by the sealer before anything reaches the TPM tools.
 */
const tpm2SealedSchema = z
  .object({
    pub: b64.min(4).max(4096),
    priv: b64.min(4).max(4096),
    pcrs: z.string().regex(/^(sha1|sha256|sha384|sha512):\d{1,2}(,\d{1,2})*(\+(sha1|sha256|sha384|sha512):\d{1,2}(,\d{1,2})*)*$/),
    pinRequired: z.enum(['true', 'false']),
  })
  .strict();

const keySourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('passphrase'),
    kdf: argon2idParamsSchema,
  }),
  z.object({ kind: z.literal('keyfile'), salt: b64 }),
  z.object({ kind: z.literal('tpm2'), sealed: tpm2SealedSchema, pinRequired: z.boolean() }),
]);

const fingerprint = z.string().regex(/^[0-9a-f]{16}$/);

/**
 * A recovery slot: the profile key wrapped under a recovery key the vault does not keep (Shamir
 * escrow shares rebuild it; a dead-man package carries it). Key rotation drops every slot.
 */
export const recoverySlotSchema = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(['escrow', 'deadman']),
    recoveryWrappedProfileKey: b64,
    /** keyFingerprint of the recovery key: tells "wrong key" apart from "damaged slot". */
    recoveryKeyFingerprint: fingerprint,
    createdAt: z.string(),
  })
  .strict();

/**
 * A key rotation in progress: the new profile key wrapped under the same wrapping key as the
 * current one, and the new database key under the new profile key. Written before the database
 * changes; unlock finishes or rolls back the rotation, so one of the two keys is always valid.
 */
export const pendingRotationSchema = z
  .object({
    id: z.string().uuid(),
    startedAt: z.string(),
    full: z.boolean(),
    wrappedProfileKey: b64,
    wrappedDatabaseKey: b64,
    fromKey: fingerprint,
    toKey: fingerprint,
  })
  .strict();

export const profileSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/),
  source: keySourceSchema,
  wrappedProfileKey: b64,
  wrappedDatabaseKey: b64,
  exportable: z.boolean(),
  createdAt: z.string(),
  recovery: z.array(recoverySlotSchema).optional(),
  rotation: pendingRotationSchema.optional(),
});

export const vaultHeaderSchema = z.object({
  format: z.literal('memory-vault'),
  version: z.literal(1),
  vaultId: z.string().regex(/^[0-9a-f-]{36}$/),
  createdAt: z.string(),
  database: z.object({ file: z.literal('vault.db'), cipher: z.literal('chacha20') }),
  profiles: z.array(profileSchema).min(1),
});

export type VaultHeader = z.infer<typeof vaultHeaderSchema>;
export type ProfileRecord = z.infer<typeof profileSchema>;
export type KeySource = z.infer<typeof keySourceSchema>;
export type Tpm2SealedFields = z.infer<typeof tpm2SealedSchema>;
export type RecoverySlot = z.infer<typeof recoverySlotSchema>;
export type PendingRotation = z.infer<typeof pendingRotationSchema>;

export function readVaultHeader(path: string): VaultHeader {
  const r = readJsonState(path, vaultHeaderSchema);
  if (r.ok) return r.value;
  switch (r.reason) {
    case 'missing':
      throw new VaultError('VAULT_NOT_FOUND', 'No vault here. Create one with `memory-vault init`.');
    case 'unreadable':
      throw new VaultError('VAULT_CORRUPT', 'The vault header cannot be read.');
    case 'not-json':
      throw new VaultError('VAULT_CORRUPT', 'The vault header is not valid JSON.');
    case 'invalid':
      throw new VaultError('VAULT_CORRUPT', 'The vault header does not match the expected format.');
  }
}

export function writeVaultHeader(path: string, header: VaultHeader, opts: { exclusive: boolean }): void {
  const body = `${JSON.stringify(vaultHeaderSchema.parse(header), null, 2)}\n`;
  try {
    // Exclusive: fail rather than overwrite (the helper claims the name before its rename).
    writeFileAtomic(path, body, { exclusive: opts.exclusive });
  } catch (e) {
    if (opts.exclusive && typeof e === 'object' && e !== null && 'code' in e && e.code === 'EEXIST') {
      throw new VaultError('VAULT_EXISTS', 'A vault already exists in this directory.');
    }
    throw e;
  }
}
