// Electron composition root: kept thin. Wires the plain-Node handlers to ipcMain, the backend's
// events to the window, and the shell (protocol, window, tray, notifications, auto-lock).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, dialog, ipcMain, powerMonitor } from 'electron';
import { startVaultServer } from '../node/agent-api/vault-server.js';
import { resolveVaultDir } from '../node/vault/vault-paths.js';
import { approvalsChangedEvent } from '../shared/approvals.contract.js';
import { keyTouchStatusEvent } from '../shared/key-touch.contract.js';
import { operationProgressEvent } from '../shared/progress.contract.js';
import { vaultStateChangedEvent } from '../shared/vault.contract.js';
import { vaultChangedEvent } from '../shared/live.contract.js';
import { allHandlers } from './ipc/all.handlers.js';
import { APP_ORIGIN, createSenderPolicy } from './ipc/sender-policy.js';
import { DesktopBackend } from './services/desktop-backend.service.js';
import { desktopHardwareKey } from './services/desktop-hardware-key.js';
import { startApprovalAlerts } from './shell/approval-alerts.js';
import { electronFileChooser } from './shell/file-dialogs.js';
import { registerAppScheme, serveBundle } from './shell/app-protocol.js';
import { startIdleLock } from './shell/idle-lock.js';
import { createTray } from './shell/tray.js';
import { createMainWindow } from './window/main-window.js';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const rendererDir = join(outDir, 'renderer');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let win: BrowserWindow | null = null;
  const focus = (): void => {
    if (!win) win = openWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const backend = new DesktopBackend({
    vaultDir: resolveVaultDir(undefined),
    // Level 5: the owner's security keys over node-hid, bound by the owner-session composition.
    hardwareKey: desktopHardwareKey(),
    // While unlocked, agents reach the vault over its socket; their approvals land in this window.
    startAgentServer: (session, ownerCredential) => startVaultServer(session, ownerCredential ? { ownerCredential } : {}),
    // A keyfile vault's keyfile: picked here, read in main; the window learns neither path nor bytes.
    chooseKeyfile: async (purpose) => {
      const opts = {
        title: purpose === 'create' ? 'Choose the keyfile for the new vault' : "Choose this vault's keyfile",
        properties: ['openFile' as const],
      };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    // Backup, restore and escrow-share files (shell/file-dialogs.ts).
    chooseFile: electronFileChooser(() => win),
    // Copied revealed content is cleared from the OS clipboard after 30 s if still there.
    clipboard: { port: { readText: () => clipboard.readText(), writeText: (t) => clipboard.writeText(t), clear: () => clipboard.clear() } },
    chooseExportPath: async (suggestedName) => {
      const opts = {
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: [{ name: 'Proof bundle', extensions: ['json'] }],
      };
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  });

  const openWindow = (): BrowserWindow => {
    const w = createMainWindow({ bundleDir: outDir, preloadPath: join(outDir, 'preload', 'index.cjs') });
    w.on('closed', () => {
      win = null;
    });
    return w;
  };

  app.on('second-instance', focus);
  app.on('web-contents-created', (_e, contents) => {
    // Defence in depth: no webContents of this app may open windows, whoever created it.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    serveBundle(rendererDir);
    const policy = createSenderPolicy({ origins: [APP_ORIGIN], bundleDir: null });
    for (const h of allHandlers(policy, backend)) ipcMain.handle(h.channel, h.listener);

    backend.onApprovalsChanged((view) => {
      win?.webContents.send(approvalsChangedEvent.channel, { request: view });
    });
    backend.onDidLock(() => win?.webContents.send(vaultStateChangedEvent.channel, { state: 'locked' }));
    // Live updates: stores, tombstones, agents, lockdown… (coalesced topics; the window re-reads them).
    backend.onVaultChanged((topics) => win?.webContents.send(vaultChangedEvent.channel, { topics }));
    backend.onProgress((p) => win?.webContents.send(operationProgressEvent.channel, p));
    // Level 5: the security-key step's states ("touch your key now", timeout, wrong key) as they happen.
    backend.keyTouch.onStatus((attempt) => win?.webContents.send(keyTouchStatusEvent.channel, { attempt }));

    win = openWindow();
    const tray = createTray(join(outDir, '..', 'resources', 'tray-icon.png'), {
      show: focus,
      lock: () => void backend.lock(),
      lockdown: () => {
        if (backend.isUnlocked) void backend.engageLockdown('Owner pressed lockdown in the tray');
      },
      quit: () => app.quit(),
    });
    // Pending count on the badge and tray, window attention, notifications and the expiry reminder.
    startApprovalAlerts({ backend, tray, window: () => win, focus });
    // The owner's auto-lock setting lives in the vault; the backend reports the open session's value.
    startIdleLock({
      power: powerMonitor,
      idleSeconds: () => backend.autoLockSeconds,
      isUnlocked: () => backend.isUnlocked,
      lock: () => void backend.lock(),
    });
  });

  // Keys are wiped on the way out, whatever closed us.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void backend.lock().finally(() => app.quit());
  });
  app.on('window-all-closed', () => {
    // Stay in the tray: agents may still ask for approval; the tray's Quit ends the app.
  });
}
