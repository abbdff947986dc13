// Map an app://memory-vault/<path> request to a file inside the renderer bundle. Invariant:
// nothing outside the bundle directory is ever served (no "..", no absolute escapes).
import { extname, join, normalize, relative, isAbsolute } from 'node:path';

export function resolveBundleFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'app:' || url.host !== 'memory-vault') return null;
  const pathname = decodeURIComponent(url.pathname);
  const wanted = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = normalize(join(rendererDir, wanted));
  const rel = relative(rendererDir, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function contentTypeOf(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream';
}
