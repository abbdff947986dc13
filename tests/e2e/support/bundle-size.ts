// The renderer bundle's size, stated by every UI run (issue 15 target "renderer bundle stated"):
// raw and gzip bytes per file type of out/renderer, so growth shows in the log of each run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  readonly files: number;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly byType: Readonly<Record<string, { bytes: number; gzipBytes: number }>>;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function bundleSize(dir: string): BundleSize {
  const byType: Record<string, { bytes: number; gzipBytes: number }> = {};
  let bytes = 0;
  let gzipBytes = 0;
  const files = walk(dir);
  for (const file of files) {
    const body = readFileSync(file);
    const z = gzipSync(body, { level: 9 }).length;
    const type = extname(file).slice(1) || 'other';
    const row = (byType[type] ??= { bytes: 0, gzipBytes: 0 });
    row.bytes += body.length;
    row.gzipBytes += z;
    bytes += body.length;
    gzipBytes += z;
  }
  return { files: files.length, bytes, gzipBytes, byType };
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export function describeBundleSize(s: BundleSize): string {
  const types = Object.entries(s.byType)
    .sort(([, a], [, b]) => b.bytes - a.bytes)
    .map(([t, r]) => `${t} ${kib(r.bytes)} (${kib(r.gzipBytes)} gzip)`)
    .join(', ');
  return `renderer bundle: ${s.files} files, ${kib(s.bytes)} (${kib(s.gzipBytes)} gzip) — ${types}`;
}
