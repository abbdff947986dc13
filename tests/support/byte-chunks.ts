// Cut a byte stream into chunks at arbitrary positions (for framing properties: a socket may
// deliver any split of what was written). Positions are taken modulo length + 1; empty chunks
// are dropped.
export function chunksAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    if (c > prev) out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}
