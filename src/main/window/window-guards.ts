// Everything the window might be asked to do beyond showing the bundle is refused: navigation,
// new windows, <webview>, and every permission (camera, notifications-from-page, HID, ...).
// Plain functions over Electron-shaped arguments so tests call them with fakes.

export interface PreventableEvent {
  preventDefault(): void;
}

/** will-navigate / will-redirect / will-frame-navigate: the app never navigates. */
export function denyNavigation(event: PreventableEvent, _url?: string): void {
  event.preventDefault();
}

/** setWindowOpenHandler: window.open and target=_blank are refused. */
export function denyWindowOpen(_details?: { url: string }): { action: 'deny' } {
  return { action: 'deny' };
}

/** will-attach-webview: no embedded guests. */
export function denyWebview(event: PreventableEvent, _webPreferences?: unknown, _params?: unknown): void {
  event.preventDefault();
}

/** session.setPermissionRequestHandler. */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/** session.setPermissionCheckHandler. */
export function denyPermissionCheck(): boolean {
  return false;
}
