// Threat: a packaged app that can be turned into a general Node runtime or made to load code
// from outside its signed archive. The packaging config must set the hardening fuses, pack the
// app in an ASAR archive with integrity checks, and rebuild native modules for Electron's ABI
// at packaging time only (never in an install hook).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const config = z
  .object({
    asar: z.boolean(),
    npmRebuild: z.boolean(),
    files: z.array(z.string()),
    electronFuses: z.record(z.string(), z.boolean()),
  })
  .passthrough()
  .parse(JSON.parse(readFileSync('build/electron-builder.json', 'utf8')));
const pkg = z.object({ scripts: z.record(z.string(), z.string()), allowScripts: z.record(z.string(), z.boolean()) }).passthrough().parse(JSON.parse(readFileSync('package.json', 'utf8')));

describe('packaged app hardening', () => {
  it('sets every Electron fuse the design requires', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs the app in ASAR and ships only the built bundle', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**');
    expect(config.files.some((f) => f.startsWith('src'))).toBe(false);
  });

  it('rebuilds native modules for Electron only when packaging, never in an install hook', () => {
    expect(config.npmRebuild).toBe(true);
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook]).toBeUndefined();
    expect(pkg.scripts.package).toMatch(/electron-builder/);
    // The Electron binary download is never part of a plain install.
    expect(pkg.allowScripts.electron).toBe(false);
  });
});
