// The backup file: one self-describing, encrypted file.
//
//   "MVBAK1\n" || u32 headerLength || header JSON || chunk*
//   chunk = u32 sealedLength || AES-256-GCM envelope (version || nonce || ciphertext || tag)
//
// Version 2 adds a signed manifest as the stream's last record (see backup-manifest.ts); version 1
// files (unsigned) are read only when the owner explicitly accepts an unsigned backup.
//
// Invariants: every chunk is authenticated together with SHA-256(header) and its index and a
// "final" flag (associated data), so a changed header, a changed, reordered, dropped or
// appended chunk, or a truncated file is rejected; chunks are bounded (default 1 MiB) so a
// backup of any size streams with bounded memory.
import { z } from 'zod';
import { argon2idParamsSchema, base64Schema } from '../crypto/kdf-params.schema.js';
import { openEnvelope, sealEnvelope } from '../crypto/aead.js';
import { sha256 } from '../crypto/keys.js';
import { VaultError } from '../errors.js';

export const BACKUP_MAGIC = Buffer.from('MVBAK1\n', 'utf8');
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;

const b64 = base64Schema;

export const backupHeaderSchema = z
  .object({
    format: z.literal('memory-vault-backup'),
    /** 1: unsigned (before signed manifests); 2: ends with a manifest signed by the vault's audit key. */
    version: z.union([z.literal(1), z.literal(2)]),
    backupId: z.string().uuid(),
    kind: z.enum(['full', 'incremental']),
    parentId: z.string().uuid().nullable(),
    vaultId: z.string(),
    createdAt: z.string(),
    /** Audit events covered: [fromSeq, toSeq). An incremental starts where its parent ended. */
    fromSeq: z.number().int().min(0),
    toSeq: z.number().int().min(0),
    protection: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('passphrase'),
        kdf: argon2idParamsSchema,
      }),
      z.object({ kind: z.literal('age'), recipient: z.string().startsWith('age1'), wrappedKey: b64 }),
    ]),
    excludedProfiles: z.array(z.object({ id: z.string(), memories: z.number().int() })),
  })
  .strict();

export type BackupHeader = z.infer<typeof backupHeaderSchema>;

export function encodeHeader(header: BackupHeader): { bytes: Buffer; digest: Buffer } {
  const json = Buffer.from(JSON.stringify(backupHeaderSchema.parse(header)), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return { bytes: Buffer.concat([BACKUP_MAGIC, len, json]), digest: sha256(json) };
}

export function decodeHeader(prefix: Buffer): { header: BackupHeader; digest: Buffer; length: number } {
  if (prefix.length < BACKUP_MAGIC.length + 4 || !prefix.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
    throw new VaultError('INTEGRITY_FAILURE', 'This is not a Memory Vault backup file.');
  }
  const len = prefix.readUInt32BE(BACKUP_MAGIC.length);
  const start = BACKUP_MAGIC.length + 4;
  if (len > 1024 * 1024 || prefix.length < start + len) throw new VaultError('INTEGRITY_FAILURE', 'The backup header is damaged.');
  const json = prefix.subarray(start, start + len);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.toString('utf8'));
  } catch {
    throw new VaultError('INTEGRITY_FAILURE', 'The backup header is damaged.');
  }
  const header = backupHeaderSchema.safeParse(parsed);
  if (!header.success) throw new VaultError('INTEGRITY_FAILURE', 'The backup header is damaged or from an unknown version.');
  return { header: header.data, digest: sha256(json), length: start + len };
}

function chunkAd(headerDigest: Buffer, index: number, final: boolean): Buffer {
  const ad = Buffer.alloc(32 + 8 + 1);
  headerDigest.copy(ad, 0);
  ad.writeBigUInt64BE(BigInt(index), 32);
  ad[40] = final ? 1 : 0;
  return ad;
}

export function sealChunk(key: Uint8Array, headerDigest: Buffer, index: number, final: boolean, plaintext: Uint8Array): Buffer {
  const env = sealEnvelope(key, plaintext, chunkAd(headerDigest, index, final));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(env.length);
  return Buffer.concat([len, env]);
}

/** Opens chunk `index`; tries final=false then final=true so the reader learns where the stream ends. */
export function openChunk(key: Uint8Array, headerDigest: Buffer, index: number, sealed: Uint8Array): { plaintext: Buffer; final: boolean } {
  for (const final of [false, true]) {
    try {
      return { plaintext: openEnvelope(key, sealed, chunkAd(headerDigest, index, final)), final };
    } catch {
      /* try the other flag */
    }
  }
  throw new VaultError('INTEGRITY_FAILURE', `Backup chunk ${index} failed authentication (the file was changed or damaged).`);
}

/** Records inside chunks: u32 length || UTF-8 JSON; Buffers become {"$b64": …}. */
export function encodeRecord(record: unknown): Buffer {
  const json = Buffer.from(
    JSON.stringify(record, (_k, v: unknown) => {
      if (v && typeof v === 'object' && 'type' in v && v.type === 'Buffer' && 'data' in v && Array.isArray(v.data))
        return { $b64: Buffer.from(v.data as number[]).toString('base64') };
      return v;
    }),
    'utf8',
  );
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([len, json]);
}

export function decodeRecords(chunk: Buffer): unknown[] {
  return decodeRecordFrames(chunk).map((f) => f.value);
}

/** Records with their exact encoded bytes (u32 length || JSON), which the signed manifest digests. */
export function decodeRecordFrames(chunk: Buffer): { value: unknown; bytes: Buffer }[] {
  const out: { value: unknown; bytes: Buffer }[] = [];
  for (let off = 0; off < chunk.length;) {
    if (off + 4 > chunk.length) throw new VaultError('INTEGRITY_FAILURE', 'A backup record is truncated.');
    const len = chunk.readUInt32BE(off);
    off += 4;
    if (off + len > chunk.length) throw new VaultError('INTEGRITY_FAILURE', 'A backup record is truncated.');
    let value: unknown;
    try {
      value = JSON.parse(chunk.subarray(off, off + len).toString('utf8'), (_k, v: unknown) =>
        v && typeof v === 'object' && '$b64' in v && typeof v.$b64 === 'string' ? Buffer.from(v.$b64, 'base64') : v,
      );
    } catch {
      throw new VaultError('INTEGRITY_FAILURE', 'A backup record is not valid JSON.');
    }
    out.push({ value, bytes: chunk.subarray(off - 4, off + len) });
    off += len;
  }
  return out;
}
