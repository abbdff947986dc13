// The one window factory. Every guard from window-guards.ts is attached before the first load.
import { BrowserWindow, nativeTheme, type BrowserWindowConstructorOptions } from 'electron';
import { APP_ORIGIN } from '../ipc/sender-policy.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { denyNavigation, denyPermissionCheck, denyPermissionRequest, denyWebview, denyWindowOpen } from './window-guards.js';
import { mainWindowOptions, type WindowPaths } from './window-options.js';
import { followTheme, windowBackground } from './window-theme.js';

export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function createMainWindow(paths: WindowPaths, overrides: BrowserWindowConstructorOptions = {}): BrowserWindow {
  const win = new BrowserWindow(
    mainWindowOptions(paths, { backgroundColor: windowBackground(nativeTheme.shouldUseDarkColors), ...overrides }),
  );
  // The page follows prefers-color-scheme (driven by nativeTheme); the native background follows too.
  const stopTheme = followTheme(nativeTheme, (color) => win.setBackgroundColor(color));
  win.once('closed', stopTheme);
  const contents = win.webContents;
  contents.on('will-navigate', denyNavigation);
  contents.on('will-redirect', denyNavigation);
  contents.on('will-frame-navigate', denyNavigation);
  contents.on('will-attach-webview', denyWebview);
  contents.setWindowOpenHandler(denyWindowOpen);
  const ses = contents.session;
  ses.setPermissionRequestHandler(denyPermissionRequest);
  ses.setPermissionCheckHandler(denyPermissionCheck);
  // The protocol handler already sends the CSP; this covers any response it does not serve.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
