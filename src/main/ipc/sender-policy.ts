// Main checks the sender before anything else (DESIGN §6, STYLE principle 2). Invariant: only the
// app's own top-level document may call a handler — a sub-frame, a navigated-away page or any
// other origin is refused, whatever it sends. Plain Node: no Electron import, so it is testable.
import { pathToFileURL } from 'node:url';

/** The part of Electron's IpcMainInvokeEvent we rely on (WebFrameMain is structurally compatible). */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}
export interface SenderEvent {
  readonly senderFrame: SenderFrame | null;
}

export const APP_ORIGIN = 'app://memory-vault';

export interface SenderPolicy {
  readonly trusted: (event: SenderEvent) => boolean;
}

export interface SenderPolicyOptions {
  /** Origins served by the app itself (production: app://memory-vault only). */
  readonly origins: readonly string[];
  /** Directory of the renderer bundle, for file:// loads; null to refuse every file URL. */
  readonly bundleDir: string | null;
}

function originOf(url: URL): string {
  // Custom schemes report "null" as URL.origin in Node; compare scheme + host instead.
  return `${url.protocol}//${url.host}`;
}

export function createSenderPolicy(opts: SenderPolicyOptions): SenderPolicy {
  const bundlePrefix =
    opts.bundleDir === null ? null : pathToFileURL(opts.bundleDir.endsWith('/') ? opts.bundleDir : `${opts.bundleDir}/`).href;
  return {
    trusted(event) {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null) return false;
      let url: URL;
      try {
        url = new URL(frame.url);
      } catch {
        return false;
      }
      if (url.protocol === 'file:') return bundlePrefix !== null && url.href.startsWith(bundlePrefix) && !url.pathname.includes('..');
      return opts.origins.includes(originOf(url));
    },
  };
}
