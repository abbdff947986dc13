// What the owner must do right now, for the UI/CLI to show. Never carries secrets.
import { KEEPALIVE_STATUS } from './ctaphid-framing.js';

export type Fido2Status =
  | { readonly kind: 'insert-key'; readonly reason: string }
  | { readonly kind: 'enter-pin'; readonly reason: string; readonly keyName: string }
  | { readonly kind: 'touch-key'; readonly reason: string }
  | { readonly kind: 'processing'; readonly reason: string };

export type Fido2StatusListener = (status: Fido2Status) => void;

/** Asked when a PIN is needed; resolve undefined when the owner declines. */
export type PinProvider = (request: { readonly reason: string; readonly keyName: string }) => Promise<string | undefined>;

/**
 * Keepalives arrive every ~100 ms (CTAP 2.1 §11.2.9.1.7); report only changes so a UI is not
 * flooded. UPNEEDED becomes "touch your key".
 */
export function keepaliveReporter(listener: Fido2StatusListener | undefined, reason: string): (status: number) => void {
  let last = -1;
  return (status) => {
    if (status === last || listener === undefined) return;
    last = status;
    if (status === KEEPALIVE_STATUS.UPNEEDED) listener({ kind: 'touch-key', reason });
    else if (status === KEEPALIVE_STATUS.PROCESSING) listener({ kind: 'processing', reason });
  };
}
