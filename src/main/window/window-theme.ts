// The window follows the OS colour scheme. The renderer's CSS follows prefers-color-scheme (which
// Electron drives from nativeTheme); the native window background must match it too, or a dark
// window flashes light while loading and shows light edges on resize. The decision is a plain
// function; main-window.ts only wires it to nativeTheme.

/** Equal to --bg in src/renderer/styles.css (light :root and the dark media block); a test checks both. */
export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#0f172a' } as const;

export function windowBackground(dark: boolean): string {
  return dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}

/** The part of Electron's nativeTheme this needs (an EventEmitter with shouldUseDarkColors). */
export interface ThemeSource {
  readonly shouldUseDarkColors: boolean;
  on(event: 'updated', listener: () => void): unknown;
  removeListener(event: 'updated', listener: () => void): unknown;
}

/** Apply the current background now and on every OS theme change; returns the unsubscribe. */
export function followTheme(theme: ThemeSource, apply: (background: string) => void): () => void {
  const update = (): void => apply(windowBackground(theme.shouldUseDarkColors));
  update();
  theme.on('updated', update);
  return () => {
    theme.removeListener('updated', update);
  };
}
