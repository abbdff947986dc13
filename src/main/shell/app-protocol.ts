// app://memory-vault serves the renderer bundle from disk with the security headers; it is a
// standard, secure scheme so the page gets a real origin (checked by the sender policy).
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { securityHeaders } from '../window/csp.js';
import { contentTypeOf, resolveBundleFile } from '../window/bundle-path.js';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
  ]);
}

export function serveBundle(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const file = resolveBundleFile(rendererDir, request.url);
    if (file === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: { ...securityHeaders(), 'Content-Type': contentTypeOf(file) } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
