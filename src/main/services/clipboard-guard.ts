// Copying revealed content: main writes the OS clipboard and clears it after a while — but only
// if it still holds what we put there (the owner may have copied something else since).
// Invariant: no plaintext is kept here; to recognise our own copy we keep a SHA-256 digest only.
// The timer lives in main so a closed or crashed window still gets its clipboard cleared; lock
// clears it at once.
import { createHash } from 'node:crypto';

/** The OS clipboard (Electron's `clipboard` in main; an in-memory stand-in in tests). */
export interface ClipboardPort {
  readText(): string;
  writeText(text: string): void;
  clear(): void;
}

export interface ClipboardGuardOptions {
  readonly port?: ClipboardPort;
  /** How long a copied secret stays (default 30 s). */
  readonly clearAfterMs?: number;
}

export const DEFAULT_CLIPBOARD_CLEAR_MS = 30_000;

/** A process-local clipboard, for tests and for hosts without an OS clipboard. */
export class MemoryClipboard implements ClipboardPort {
  private text = '';
  readText(): string {
    return this.text;
  }
  writeText(text: string): void {
    this.text = text;
  }
  clear(): void {
    this.text = '';
  }
}

const digest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export class ClipboardGuard {
  readonly port: ClipboardPort;
  readonly clearAfterMs: number;
  private ours: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: ClipboardGuardOptions = {}) {
    this.port = opts.port ?? new MemoryClipboard();
    this.clearAfterMs = opts.clearAfterMs ?? DEFAULT_CLIPBOARD_CLEAR_MS;
  }

  /** Put `text` on the clipboard; it is cleared after `clearAfterMs` if still there. */
  copy(text: string): { clearsInMs: number } {
    this.port.writeText(text);
    this.ours = digest(text);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.clearIfOurs(), this.clearAfterMs);
    this.timer.unref();
    return { clearsInMs: this.clearAfterMs };
  }

  /** Clear the clipboard if it still holds our last copy. Returns whether it cleared. */
  clearIfOurs(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ours = this.ours;
    this.ours = null;
    if (ours === null || digest(this.port.readText()) !== ours) return false;
    this.port.clear();
    return true;
  }
}
