// The main window's options. Invariant (after VS Code): the hardened webPreferences are written
// AFTER any caller overrides, so nothing upstream can switch the sandbox or isolation off.
import { isAbsolute, relative } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import { windowBackground } from './window-theme.js';

export interface WindowPaths {
  /** The directory of the built app (out/): the preload must live inside it. */
  readonly bundleDir: string;
  readonly preloadPath: string;
}

export function insideBundle(bundleDir: string, file: string): boolean {
  const rel = relative(bundleDir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export function mainWindowOptions(paths: WindowPaths, overrides: BrowserWindowConstructorOptions = {}): BrowserWindowConstructorOptions {
  if (!insideBundle(paths.bundleDir, paths.preloadPath)) throw new Error(`Refusing a preload outside the app bundle: ${paths.preloadPath}`);
  return {
    width: 1180,
    height: 780,
    minWidth: 820,
    minHeight: 560,
    show: false,
    title: 'Memory Vault',
    // The caller passes the OS scheme's colour (main-window.ts); light until told otherwise.
    backgroundColor: windowBackground(false),
    ...overrides,
    webPreferences: {
      ...overrides.webPreferences,
      preload: paths.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: overrides.webPreferences?.devTools ?? false,
    },
  };
}
