// Bit arithmetic on tree coordinates. JavaScript's bitwise operators truncate to 32 bits, so
// every shift here is a division: sizes and indexes go up to 2^53 - 1 (Number.MAX_SAFE_INTEGER).

/** n >> s for 0 <= n < 2^53. */
export function shr(n: number, s: number): number {
  return Math.floor(n / 2 ** s);
}

/** The least significant bit of n (RFC 9162 §2.1.3.2 "LSB(fn)"). */
export function lsb(n: number): boolean {
  return n % 2 === 1;
}

/** Number of trailing zero bits of n > 0 (Go's bits.TrailingZeros64). */
export function trailingZeros(n: number): number {
  let z = 0;
  while (n > 0 && n % 2 === 0) {
    n /= 2;
    z++;
  }
  return z;
}

/**
 * k, the largest power of two smaller than n (n >= 2), and l = log2(k) — RFC 6962 §2.1's
 * "k be the largest power of two smaller than n"; Go sumdb/tlog maxpow2.
 */
export function maxpow2(n: number): { readonly k: number; readonly level: number } {
  let level = 0;
  while (2 ** (level + 1) < n) level++;
  return { k: 2 ** level, level };
}

export function isPowerOfTwo(n: number): boolean {
  if (n <= 0) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
