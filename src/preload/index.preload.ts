// The one preload of the main window (bundled to a single CommonJS file: sandboxed preloads
// cannot load modules). It exposes `window.vault` — named verbs only; ipcRenderer and the
// IpcRendererEvent never cross into the page.
import { contextBridge, ipcRenderer } from 'electron';
import { createVaultBridge, type VaultBridge } from './vault-bridge.js';

const api: VaultBridge = createVaultBridge(
  (channel, args) => ipcRenderer.invoke(channel, args),
  (channel, listener) => {
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
);

contextBridge.exposeInMainWorld('vault', api);

export type { VaultBridge };
