// The renderer's `window.vault` type comes from the preload itself, so it is never written twice
// (tsconfig.web.json includes this file; the renderer imports nothing from src/preload).
import type { VaultBridge } from './vault-bridge.js';

declare global {
  interface Window {
    readonly vault: VaultBridge;
  }
}
