// Newline-delimited frames with a hard size limit: a peer that sends more than `maxBytes`
// without a newline is cut off instead of growing our buffer without bound. An idle connection
// holds nothing here (no buffer is allocated before bytes arrive).
export class FrameTooLarge extends Error {
  override readonly name = 'FrameTooLarge';
}

export class LineFramer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private maxBytes: number) {}

  /** Change the limit (the agent server raises it once a connection has logged in). */
  setMaxBytes(maxBytes: number): void {
    this.maxBytes = maxBytes;
  }

  /** Bytes of an unfinished line held now (counted against the server's parked-bytes budget). */
  get buffered(): number {
    return this.size;
  }

  /** Feed bytes; returns the complete frames (without the newline). Throws FrameTooLarge. */
  push(data: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
      const piece = data.subarray(start, nl);
      if (this.size + piece.length > this.maxBytes) throw new FrameTooLarge();
      frames.push(this.chunks.length ? Buffer.concat([...this.chunks, piece]) : Buffer.from(piece));
      this.chunks = [];
      this.size = 0;
      start = nl + 1;
    }
    const rest = data.subarray(start);
    if (rest.length) {
      this.size += rest.length;
      if (this.size > this.maxBytes) throw new FrameTooLarge();
      this.chunks.push(Buffer.from(rest));
    }
    return frames;
  }
}
