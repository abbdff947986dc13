// Progress on stderr (stdout stays one JSON document with --json): a redrawn bar on a
// terminal, a line per 10 % otherwise (logs, CI). Percent of bytes; MB/s from wall time.
export class ProgressBar {
  private readonly started = performance.now();
  private lastStep = -1;
  private lastDraw = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private total: number,
  ) {}

  setTotal(total: number): void {
    this.total = total;
  }

  update(bytes: number): void {
    const pct = this.total > 0 ? Math.min(99, Math.floor((bytes / this.total) * 100)) : 0;
    if (this.tty) {
      const now = performance.now();
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(
        `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${this.rate(bytes)}`,
      );
      return;
    }
    const step = Math.floor(pct / 10);
    if (step > this.lastStep) {
      this.lastStep = step;
      process.stderr.write(`${this.label} ${pct}% (${(bytes / 1e6).toFixed(1)} MB, ${this.rate(bytes)})\n`);
    }
  }

  /** Final line; returns MB/s for the caller's result. */
  done(bytes: number): number {
    const seconds = (performance.now() - this.started) / 1000;
    const mbps = seconds > 0 ? bytes / 1e6 / seconds : 0;
    process.stderr.write(
      `${this.tty ? '\r' : ''}${this.label} 100% (${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s, ${mbps.toFixed(1)} MB/s)\n`,
    );
    return mbps;
  }

  private rate(bytes: number): string {
    const s = (performance.now() - this.started) / 1000;
    return s > 0 ? `${(bytes / 1e6 / s).toFixed(1)} MB/s` : '';
  }
}

/** A phase line for multi-step operations (key rotation). */
export function phaseLine(text: string): void {
  process.stderr.write(`${text}\n`);
}
