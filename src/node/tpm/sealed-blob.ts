// Invariant: a stored blob is untrusted input. Only strictly validated fields (canonical base64
// of bounded size, a canonical PCR selection, a boolean flag) ever reach the TPM tools.

import type { SealedBlob } from '../../core/ports/key-sealer.port.js';
import { VaultError } from '../../core/errors.js';
import { canonicalPcrSelection } from './pcr-selection.js';

export const TPM2_KIND = 'tpm2';
const MAX_PART_BYTES = 2048;

export interface Tpm2Blob {
  readonly pub: Buffer;
  readonly priv: Buffer;
  readonly pcrs: string;
  readonly pinRequired: boolean;
}

function corrupt(message: string): VaultError {
  return new VaultError('INVALID_INPUT', `Sealed TPM blob is invalid: ${message}`);
}

function decodePart(value: string | undefined, name: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw corrupt(`${name} is not base64.`);
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_PART_BYTES || bytes.toString('base64') !== value) {
    throw corrupt(`${name} has a bad size or encoding.`);
  }
  return bytes;
}

export function encodeTpm2Blob(b: Tpm2Blob): SealedBlob {
  return {
    kind: TPM2_KIND,
    fields: {
      pub: b.pub.toString('base64'),
      priv: b.priv.toString('base64'),
      pcrs: b.pcrs,
      pinRequired: b.pinRequired ? 'true' : 'false',
    },
  };
}

export function decodeTpm2Blob(blob: SealedBlob): Tpm2Blob {
  if (!blob || blob.kind !== TPM2_KIND || typeof blob.fields !== 'object' || blob.fields === null) {
    throw corrupt(`kind must be "${TPM2_KIND}".`);
  }
  const f = blob.fields;
  const pcrs = f['pcrs'];
  if (typeof pcrs !== 'string') throw corrupt('pcrs is missing.');
  let canonical: string;
  try {
    canonical = canonicalPcrSelection(pcrs);
  } catch {
    throw corrupt('pcrs is not a valid PCR selection.');
  }
  if (canonical !== pcrs) throw corrupt('pcrs is not canonical.');
  const pin = f['pinRequired'];
  if (pin !== 'true' && pin !== 'false') throw corrupt('pinRequired must be "true" or "false".');
  return { pub: decodePart(f['pub'], 'pub'), priv: decodePart(f['priv'], 'priv'), pcrs, pinRequired: pin === 'true' };
}
