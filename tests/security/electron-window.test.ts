// Static check of the main window's security posture — our stand-in for electronegativity
// (@doyensec/electronegativity is not installed and may not be added): hardened webPreferences
// that callers cannot override, a preload inside the bundle, a strict CSP, and guards that deny.
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../src/main/window/csp.js';
import { resolveBundleFile } from '../../src/main/window/bundle-path.js';
import {
  denyNavigation,
  denyPermissionCheck,
  denyPermissionRequest,
  denyWebview,
  denyWindowOpen,
} from '../../src/main/window/window-guards.js';
import { mainWindowOptions } from '../../src/main/window/window-options.js';

const paths = { bundleDir: '/app/out', preloadPath: '/app/out/preload/index.cjs' };

describe('main window options', () => {
  it('are sandboxed, isolated, without Node, with web security', () => {
    const wp = mainWindowOptions(paths).webPreferences;
    expect(wp).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('cannot be weakened by caller overrides', () => {
    const wp = mainWindowOptions(paths, {
      webPreferences: {
        sandbox: false,
        contextIsolation: false,
        nodeIntegration: true,
        webSecurity: false,
        webviewTag: true,
        preload: '/tmp/evil.js',
      },
    }).webPreferences;
    expect(wp).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: paths.preloadPath,
    });
  });

  it('refuse a preload outside the bundle', () => {
    for (const preloadPath of ['/tmp/preload.js', '/app/out/../evil.js', '/app/outside/preload.js', '/app/out']) {
      expect(() => mainWindowOptions({ bundleDir: '/app/out', preloadPath })).toThrow(/outside the app bundle/);
    }
  });
});

describe('content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('allows no inline code, no eval and no remote origin', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|wss?:|\*/);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'none'"]);
  });

  it('is sent as a header with every bundle file', () => {
    expect(securityHeaders()['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('window guards deny', () => {
  it('navigation, webview attachment and window.open', () => {
    const nav = { preventDefault: vi.fn() };
    denyNavigation(nav, 'https://evil.example');
    expect(nav.preventDefault).toHaveBeenCalledOnce();
    const webview = { preventDefault: vi.fn() };
    denyWebview(webview, {}, { src: 'https://evil.example' });
    expect(webview.preventDefault).toHaveBeenCalledOnce();
    expect(denyWindowOpen({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
  });

  it('every permission request and check', () => {
    for (const permission of ['media', 'notifications', 'hid', 'serial', 'clipboard-read', 'geolocation', 'openExternal']) {
      const cb = vi.fn();
      denyPermissionRequest({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(denyPermissionCheck()).toBe(false);
  });
});

describe('app:// protocol path mapping', () => {
  it('serves files inside the bundle only', () => {
    expect(resolveBundleFile('/app/out/renderer', 'app://memory-vault/')).toBe('/app/out/renderer/index.html');
    expect(resolveBundleFile('/app/out/renderer', 'app://memory-vault/assets/index.js')).toBe('/app/out/renderer/assets/index.js');
    // Escape attempts either normalise back inside the bundle or are refused; never outside.
    for (const attempt of [
      'app://memory-vault/%2e%2e/%2e%2e/etc/passwd',
      'app://memory-vault/..%2f..%2fmain/index.js',
      'app://memory-vault/a/%2F..%2F..%2F..%2Fetc/passwd',
    ]) {
      const file = resolveBundleFile('/app/out/renderer', attempt);
      expect(file === null || file.startsWith('/app/out/renderer/'), `${attempt} -> ${file}`).toBe(true);
    }
    expect(resolveBundleFile('/app/out/renderer', 'app://memory-vault/..%2f..%2fmain/index.js')).toBeNull();
    expect(resolveBundleFile('/app/out/renderer', 'app://other-host/index.html')).toBeNull();
    expect(resolveBundleFile('/app/out/renderer', 'file:///etc/passwd')).toBeNull();
  });
});
