// The recovery screens' file chooser in Electron: save dialogs for new backups and share files,
// open dialogs for an existing backup, an age identity or a restore folder (desktop-files.ts).
import { join } from 'node:path';
import { app, dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { FileChooser, FilePurpose } from '../services/desktop-files.js';

const SAVE: Partial<Record<FilePurpose, SaveDialogOptions>> = {
  'backup-save': { title: 'Save the encrypted backup', filters: [{ name: 'Memory Vault backup', extensions: ['mvbackup'] }] },
  'share-save': { title: "Save this holder's escrow share" },
};

const OPEN: Partial<Record<FilePurpose, OpenDialogOptions>> = {
  'backup-open': {
    title: 'Choose a backup file',
    properties: ['openFile'],
    filters: [{ name: 'Memory Vault backup', extensions: ['mvbackup'] }],
  },
  'age-identity': { title: 'Choose the age identity file that opens this backup', properties: ['openFile'] },
  // An empty folder (or a new one): restoring refuses a folder that already holds files.
  'restore-folder': { title: 'Choose an empty folder to restore the vault into', properties: ['openDirectory', 'createDirectory'] },
};

export function electronFileChooser(window: () => BrowserWindow | null): FileChooser {
  return async ({ purpose, suggestedName }) => {
    const win = window();
    const save = SAVE[purpose];
    if (save) {
      const opts = { ...save, ...(suggestedName ? { defaultPath: join(app.getPath('documents'), suggestedName) } : {}) };
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    }
    const opts = OPEN[purpose] ?? { properties: ['openFile'] };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };
}
