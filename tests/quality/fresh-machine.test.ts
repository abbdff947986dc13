// `npm test` on a fresh machine: what it does about missing Debian packages. The decision is
// unit-tested; the stop path runs the real scripts/test-all.mjs as an unprivileged user with a
// dpkg-query that reports one package missing, and must stop at once with the one command to run.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decide, INSTALL_COMMAND } from '../../scripts/system-deps.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mv-fresh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A dpkg-query that says every package is installed except `age`. */
function fakeDpkg(): string {
  const bin = join(dir, 'bin');
  cpSync(join(REPO, 'scripts'), join(dir, 'scripts'), { recursive: true });
  spawnSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'dpkg-query'), '#!/bin/sh\nfor a; do p=$a; done\n[ "$p" = age ] && exit 1\necho "install ok installed"\n');
  chmodSync(join(bin, 'dpkg-query'), 0o755);
  return bin;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const runuser = spawnSync('sh', ['-c', 'command -v runuser'], { encoding: 'utf8' }).stdout.trim();
const hasRunuser = runuser !== '';
if (!isRoot || !hasRunuser)
  console.warn('fresh-machine: the unprivileged stop path needs root and runuser to switch to nobody — SKIPPED here');

describe('npm test on a fresh machine', () => {
  it('decides: nothing missing → nothing; root → install; sudo -n → install via sudo; else stop with the command', () => {
    expect(decide({ missing: [], isRoot: false, sudoWithoutPrompt: false })).toEqual({ action: 'none' });
    expect(decide({ missing: ['age'], isRoot: true, sudoWithoutPrompt: false })).toEqual({ action: 'install', via: [] });
    expect(decide({ missing: ['age'], isRoot: false, sudoWithoutPrompt: true })).toEqual({ action: 'install', via: ['sudo', '-n'] });
    const stop = decide({ missing: ['age', 'swtpm'], isRoot: false, sudoWithoutPrompt: false });
    expect(stop.action).toBe('stop');
    const message = stop.action === 'stop' ? stop.message : '';
    expect(message).toContain('age swtpm');
    expect(message).toContain(INSTALL_COMMAND);
    expect(INSTALL_COMMAND).toBe('sudo bash scripts/install-system-deps.sh');
  });

  it('install-system-deps.sh --check lists what is missing and installs nothing', () => {
    const bin = fakeDpkg();
    const r = spawnSync('bash', ['scripts/install-system-deps.sh', '--check'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe('system packages missing: age');
  });

  it.skipIf(!isRoot || !hasRunuser)('stops at once, unprivileged, with the one command and a failing summary line', () => {
    const bin = fakeDpkg();
    spawnSync('chown', ['-R', 'nobody', dir]);
    const r = spawnSync(runuser, ['-u', 'nobody', '--', process.execPath, 'scripts/test-all.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir },
      timeout: 60_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}\n${String(r.error)}`).toBe(1);
    expect(r.stderr).toContain('System packages missing: age.');
    expect(r.stderr).toContain(INSTALL_COMMAND);
    // It stopped before building: no tsc stage ran.
    expect(r.stdout).not.toContain('=== build');
    expect(r.stdout.trim().split('\n').pop()).toBe('0 passed, 1 failed, 0 skipped');
  });
});
