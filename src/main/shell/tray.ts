// The tray: lock, lockdown and quit stay one click away even with the window closed.
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  readonly lock: () => void;
  readonly lockdown: () => void;
  readonly show: () => void;
  readonly quit: () => void;
}

export function createTray(iconPath: string, actions: TrayActions): Tray {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  tray.setToolTip('Memory Vault');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Memory Vault', click: actions.show },
      { type: 'separator' },
      { label: 'Lock now', click: actions.lock },
      { label: 'Lockdown (refuse every recall)', click: actions.lockdown },
      { type: 'separator' },
      { label: 'Quit', click: actions.quit },
    ]),
  );
  return tray;
}
