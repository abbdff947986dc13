// Selecting one field of a JSON memory for a use (`mv://ns/id#db.password`). Invariant: only a
// scalar is ever selected (string, number, boolean) — never an object or array, which would hand
// the child more of the memory than the reference names; a missing or non-scalar field refuses.
// Note: JSON.parse makes V8 strings of the content that cannot be zero-filled; the buffers this
// returns can be, and the caller wipes the decrypted content as soon as the field is taken.
import { VaultError } from '../errors.js';

function fieldError(message: string): VaultError {
  return new VaultError('INVALID_INPUT', message);
}

/** The selected scalar as UTF-8 bytes; INVALID_INPUT when the content is not JSON or the field is missing or not a scalar. */
export function selectSecretField(content: Uint8Array, path: readonly string[]): Buffer {
  const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
  let node: unknown;
  try {
    node = JSON.parse(text);
  } catch {
    throw fieldError('The reference names a field, but this memory is not JSON.');
  }
  for (const [depth, segment] of path.entries()) {
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(segment)) {
      node = node[Number(segment)];
    } else if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, segment)) {
      const value: unknown = Reflect.get(node, segment);
      node = value;
    } else {
      throw fieldError(`The memory has no field at segment ${depth + 1} of the reference.`);
    }
  }
  if (typeof node === 'string') return Buffer.from(node, 'utf8');
  if (typeof node === 'number' || typeof node === 'boolean') return Buffer.from(String(node), 'utf8');
  throw fieldError('The referenced field is not a string, number or boolean.');
}
