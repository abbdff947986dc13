// A bug is an assertion: impossible arguments from our own code throw, they are never a "false".

export class MerkleAssertionError extends Error {
  override readonly name = 'MerkleAssertionError';
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new MerkleAssertionError(message);
}

/** Tree sizes and indexes are non-negative integers that a double represents exactly (< 2^53). */
export function isUint53(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}
