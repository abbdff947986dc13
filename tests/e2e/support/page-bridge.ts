// Runs inside the test page before the app: builds `window.vault` with the SAME factory the
// preload uses. Only the transport differs: `__vaultInvoke` is a Playwright binding into the
// real main-process handlers, and main's pushed events arrive through `__vaultEmit`.
import { createVaultBridge } from '../../../src/preload/vault-bridge.js';

type Listener = (payload: unknown) => void;

interface TestTransport {
  __vaultInvoke(channel: string, args: unknown): Promise<unknown>;
  __vaultEmit?: (channel: string, payload: unknown) => void;
  vault?: unknown;
}

const w = window as unknown as TestTransport;
const listeners = new Map<string, Set<Listener>>();

w.__vaultEmit = (channel, payload) => {
  for (const l of listeners.get(channel) ?? []) l(payload);
};

const api = createVaultBridge(
  (channel, args) => w.__vaultInvoke(channel, args),
  (channel, listener) => {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
    return () => set.delete(listener);
  },
);

Object.defineProperty(window, 'vault', { value: Object.freeze(api), writable: false, configurable: false });
