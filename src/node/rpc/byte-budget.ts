// One budget of bytes shared by every connection of a socket (parked frames and unfinished lines),
// so that many slow or greedy peers cannot add up to unbounded memory.
export class ByteBudget {
  private usedBytes = 0;

  constructor(readonly max: number) {}

  get used(): number {
    return this.usedBytes;
  }

  fits(n: number): boolean {
    return this.usedBytes + n <= this.max;
  }

  add(n: number): void {
    this.usedBytes += n;
  }

  remove(n: number): void {
    this.usedBytes = Math.max(0, this.usedBytes - n);
  }

  get exceeded(): boolean {
    return this.usedBytes > this.max;
  }
}
