// Threat: a packaged app that can be turned into a general Node runtime or made to load code
// from outside its signed archive. The packaging config must set the hardening fuses, pack the
// app in an ASAR archive with integrity checks, and rebuild native modules for Electron's ABI
// at packaging time only (never in an install hook).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const config = z
  .object({
    asar: z.boolean(),
    npmRebuild: z.boolean(),
    files: z.array(z.string()),
    afterPack: z.string(),
  })
  .passthrough()
  .parse(JSON.parse(readFileSync('build/electron-builder.json', 'utf8')));
const pkg = z
  .object({ scripts: z.record(z.string(), z.string()), allowScripts: z.record(z.string(), z.boolean()) })
  .passthrough()
  .parse(JSON.parse(readFileSync('package.json', 'utf8')));

// The hook module is a function (electron-builder calls it) that also carries its FUSES table.
const hook: unknown = createRequire(import.meta.url)(`${process.cwd()}/${config.afterPack}`);
const afterPack = z
  .object({ FUSES: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])) })
  .parse({ FUSES: typeof hook === 'function' && 'FUSES' in hook ? hook.FUSES : undefined });

describe('packaged app hardening', () => {
  it('the afterPack hook flips every Electron fuse the design requires', () => {
    expect(config.afterPack).toBe('build/after-pack.cjs');
    const f = afterPack.FUSES;
    expect(f[FuseV1Options.RunAsNode]).toBe(false);
    expect(f[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(f[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(f[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(f[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
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
