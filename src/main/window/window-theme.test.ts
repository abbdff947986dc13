import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { followTheme, WINDOW_BACKGROUND, windowBackground, type ThemeSource } from './window-theme.js';

class FakeTheme extends EventEmitter implements ThemeSource {
  shouldUseDarkColors = false;
}

describe('window theme', () => {
  it('picks the dark background when the OS uses dark colours', () => {
    expect(windowBackground(true)).toBe(WINDOW_BACKGROUND.dark);
    expect(windowBackground(false)).toBe(WINDOW_BACKGROUND.light);
    expect(WINDOW_BACKGROUND.dark).not.toBe(WINDOW_BACKGROUND.light);
  });

  it('applies the background at once and again on each nativeTheme "updated", until unsubscribed', () => {
    const theme = new FakeTheme();
    const applied: string[] = [];
    const off = followTheme(theme, (c) => applied.push(c));
    theme.shouldUseDarkColors = true;
    theme.emit('updated');
    theme.shouldUseDarkColors = false;
    theme.emit('updated');
    off();
    theme.shouldUseDarkColors = true;
    theme.emit('updated');
    expect(applied).toEqual([WINDOW_BACKGROUND.light, WINDOW_BACKGROUND.dark, WINDOW_BACKGROUND.light]);
    expect(theme.listenerCount('updated')).toBe(0);
  });

  it('matches the page background of styles.css in both schemes (no flash of the other colour)', () => {
    const css = readFileSync(new URL('../../renderer/styles.css', import.meta.url), 'utf8');
    const dark = css.slice(css.indexOf('@media (prefers-color-scheme: dark)'));
    expect(css.match(/--bg:\s*(#[0-9a-f]{6})/i)?.[1]).toBe(WINDOW_BACKGROUND.light);
    expect(dark.match(/--bg:\s*(#[0-9a-f]{6})/i)?.[1]).toBe(WINDOW_BACKGROUND.dark);
  });
});
