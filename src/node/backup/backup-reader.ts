// Reads a backup file chunk by chunk (bounded memory), authenticating every chunk before any of
// its records is used, and refusing truncated files and trailing bytes. Every record also passes
// the trust check (src/core/backup/backup-trust.ts): the stream ends with an error, not a
// normal return, unless the manifest signed by the trusted audit key matches what was read.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as age from 'age-encryption';
import { decodeHeader, decodeRecordFrames, MAX_CHUNK_BYTES, openChunk, type BackupHeader } from '../../core/backup/backup-format.js';
import { assertTrustable, BackupTrustCheck, type BackupTrust, type TrustReport } from '../../core/backup/backup-trust.js';
import { derivePassphraseKey } from '../crypto/argon2.service.js';
import { zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import { addAgeIdentities } from '../age/age-identity-file.js';

export type BackupUnlock = { readonly passphrase: string } | { readonly ageIdentity: string };

function readExactly(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let off = 0;
  while (off < length) {
    const n = readSync(fd, buf, off, length - off, position + off);
    if (n === 0) throw new VaultError('INTEGRITY_FAILURE', 'The backup file is truncated.');
    off += n;
  }
  return buf;
}

/** Header only: no key needed (kind, parent, covered sequence range, protection). */
export function readBackupHeader(path: string): BackupHeader {
  const fd = openBackupFile(path);
  try {
    const size = fstatSync(fd).size;
    return decodeHeader(readExactly(fd, Math.min(size, 1024 * 1024 + 11), 0)).header;
  } finally {
    closeSync(fd);
  }
}

function openBackupFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch {
    throw new VaultError('INVALID_INPUT', 'The backup file cannot be read.');
  }
}

async function keyFor(header: BackupHeader, unlock: BackupUnlock): Promise<Buffer> {
  if (header.protection.kind === 'passphrase') {
    if (!('passphrase' in unlock)) throw new VaultError('BAD_CREDENTIALS', 'This backup is protected by a passphrase.');
    return derivePassphraseKey(unlock.passphrase, header.protection.kdf);
  }
  if (!('ageIdentity' in unlock))
    throw new VaultError(
      'BAD_CREDENTIALS',
      `This backup is encrypted to the age recipient ${header.protection.recipient}: pass its identity file.`,
    );
  try {
    const d = new age.Decrypter();
    addAgeIdentities(d, unlock.ageIdentity);
    return Buffer.from(await d.decrypt(Buffer.from(header.protection.wrappedKey, 'base64')));
  } catch (err) {
    if (err instanceof VaultError) throw err;
    throw new VaultError('BAD_CREDENTIALS', 'The age identity does not open this backup.');
  }
}

export interface BackupStream {
  readonly header: BackupHeader;
  readonly totalBytes: number;
  /**
   * Records in file order (the manifest record excluded); throws INTEGRITY_FAILURE at the first
   * bad chunk or untrusted record, and after the last record unless the signed manifest matches.
   * Callers must treat what they built from the records as unverified until it returns.
   */
  records(onProgress?: (bytesRead: number) => void): Generator<unknown>;
  /** Set once records() has run to its end and the trust check passed. */
  trusted(): TrustReport | null;
  close(): void;
}

export async function openBackup(path: string, unlock: BackupUnlock, trust: BackupTrust): Promise<BackupStream> {
  const fd = openBackupFile(path);
  try {
    const totalBytes = fstatSync(fd).size;
    const { header, digest, length } = decodeHeader(readExactly(fd, Math.min(totalBytes, 1024 * 1024 + 11), 0));
    assertTrustable(header, trust);
    const key = await keyFor(header, unlock);
    // A wrong passphrase shows up as the first chunk failing: report it as credentials, not damage.
    const firstLen = readExactly(fd, 4, length).readUInt32BE(0);
    if (firstLen <= MAX_CHUNK_BYTES + 64) {
      try {
        openChunk(key, digest, 0, readExactly(fd, firstLen, length + 4));
      } catch {
        if (header.protection.kind === 'passphrase') {
          zeroize(key);
          throw new VaultError('BAD_CREDENTIALS', 'The backup passphrase is wrong, or the file is damaged.');
        }
      }
    }
    let closed = false;
    let report: TrustReport | null = null;
    return {
      header,
      totalBytes,
      trusted: () => report,
      *records(onProgress) {
        const check = new BackupTrustCheck(header, digest.toString('hex'), trust);
        let pos = length;
        for (let index = 0; ; index++) {
          if (pos + 4 > totalBytes) throw new VaultError('INTEGRITY_FAILURE', 'The backup file is truncated (no final chunk).');
          const len = readExactly(fd, 4, pos).readUInt32BE(0);
          if (len > MAX_CHUNK_BYTES + 64) throw new VaultError('INTEGRITY_FAILURE', `Backup chunk ${index} has an impossible length.`);
          const { plaintext, final } = openChunk(key, digest, index, readExactly(fd, len, pos + 4));
          pos += 4 + len;
          onProgress?.(pos);
          for (const frame of decodeRecordFrames(plaintext)) {
            if (check.observe(frame.value, frame.bytes) === 'record') yield frame.value;
          }
          if (final) {
            if (pos !== totalBytes) throw new VaultError('INTEGRITY_FAILURE', 'The backup file has bytes after its final chunk.');
            report = check.finish();
            return;
          }
        }
      },
      close() {
        if (closed) return;
        closed = true;
        zeroize(key);
        closeSync(fd);
      },
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
