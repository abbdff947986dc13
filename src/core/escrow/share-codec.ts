// The printable form of one escrow share:  MVS1-XXXX-XXXX-…  (base32 of payload || checksum).
//   payload  = version(1) || escrowId(16) || threshold(1) || shares(1) || index(1) || share
//   checksum = first 4 bytes of SHA-256("memory-vault/escrow-share/v1" || payload)
// Invariant: a share whose text was mistyped or damaged is rejected by its checksum before it
// reaches Shamir's combine (which would otherwise silently produce a wrong secret).
import { z } from 'zod';
import { sha256 } from '../crypto/keys.js';
import { VaultError } from '../errors.js';
import { base32Decode, base32Encode } from './base32.js';

const PREFIX = 'MVS1';
const VERSION = 1;
const CHECKSUM_BYTES = 4;
/** Largest secret we escrow (a 32-byte key) plus shamir-secret-sharing's 1-byte x coordinate. */
const MAX_SHARE_BYTES = 64;

export interface EscrowShare {
  readonly escrowId: string;
  readonly threshold: number;
  readonly shares: number;
  /** 1-based, for people ("share 2 of 5"); Shamir's own x coordinate lives inside `share`. */
  readonly index: number;
  readonly share: Uint8Array;
}

function uuidBytes(id: string): Buffer {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
    throw new VaultError('INVALID_INPUT', 'An escrow id is a UUID.');
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidText(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function checksum(payload: Uint8Array): Buffer {
  return sha256(Buffer.concat([Buffer.from('memory-vault/escrow-share/v1'), payload])).subarray(0, CHECKSUM_BYTES);
}

export function encodeShare(s: EscrowShare): string {
  const payload = Buffer.concat([
    Buffer.from([VERSION]),
    uuidBytes(s.escrowId),
    Buffer.from([s.threshold, s.shares, s.index]),
    Buffer.from(s.share),
  ]);
  const body = base32Encode(Buffer.concat([payload, checksum(payload)]));
  return [PREFIX, ...(body.match(/.{1,4}/g) ?? [])].join('-');
}

export function decodeShare(text: string): EscrowShare {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  if (!compact.startsWith(PREFIX))
    throw new VaultError('INVALID_INPUT', 'This is not a Memory Vault escrow share (it should start with MVS1-).');
  const raw = base32Decode(compact.slice(PREFIX.length));
  if (!raw || raw.length < 20 + CHECKSUM_BYTES + 2 || raw.length > 20 + CHECKSUM_BYTES + MAX_SHARE_BYTES) {
    throw new VaultError('INTEGRITY_FAILURE', 'This escrow share is damaged (it has the wrong characters or length).');
  }
  const payload = raw.subarray(0, raw.length - CHECKSUM_BYTES);
  if (!checksum(payload).equals(raw.subarray(raw.length - CHECKSUM_BYTES))) {
    throw new VaultError('INTEGRITY_FAILURE', 'This escrow share is damaged: its checksum does not match (check it for typos).');
  }
  const version = payload[0];
  if (version !== VERSION) throw new VaultError('INVALID_INPUT', 'This escrow share comes from an unknown version.');
  const threshold = payload[17] ?? 0;
  const shares = payload[18] ?? 0;
  const index = payload[19] ?? 0;
  if (threshold < 2 || shares < threshold || index < 1 || index > shares)
    throw new VaultError('INTEGRITY_FAILURE', 'This escrow share has impossible numbers.');
  return { escrowId: uuidText(payload.subarray(1, 17)), threshold, shares, index, share: Buffer.from(payload.subarray(20)) };
}

/** Non-secret fingerprint of a share, kept in the escrow record so a share can be recognised. */
export function shareFingerprint(share: Uint8Array): string {
  return sha256(Buffer.concat([Buffer.from('memory-vault/escrow-share-fingerprint/v1\n'), share]))
    .toString('hex')
    .slice(0, 16);
}

/** What an age-encrypted share file holds once decrypted (validated when read back). */
export const shareEnvelopeSchema = z
  .object({
    format: z.literal('memory-vault-escrow-share'),
    version: z.literal(1),
    vaultId: z.string(),
    escrowId: z.string().uuid(),
    label: z.string(),
    index: z.number().int().min(1),
    threshold: z.number().int().min(2),
    shares: z.number().int().min(2),
    share: z.string().startsWith(`${PREFIX}-`),
  })
  .strict();

export type ShareEnvelope = z.infer<typeof shareEnvelopeSchema>;
