// Test-only: are swtpm, swtpm_ioctl, tpm2-tools and the swtpm TCTI installed?
import { readdir } from 'node:fs/promises';
import { execa } from 'execa';

export interface Availability {
  readonly available: boolean;
  readonly reason?: string;
}

async function has(cmd: string, args: readonly string[]): Promise<boolean> {
  const r = await execa(cmd, args, { reject: false, stdin: 'ignore' });
  return r.exitCode === 0;
}

async function hasSwtpmTcti(): Promise<boolean> {
  const dirs = ['/usr/lib', '/usr/lib64', '/usr/local/lib', '/lib'];
  for (const base of dirs) {
    let entries: string[] = [];
    try {
      entries = await readdir(base);
    } catch {
      continue;
    }
    const candidates = [base, ...entries.filter((e) => e.endsWith('-linux-gnu')).map((e) => `${base}/${e}`)];
    for (const dir of candidates) {
      try {
        if ((await readdir(dir)).some((f) => f.startsWith('libtss2-tcti-swtpm.so'))) return true;
      } catch {
        // unreadable dir: keep looking
      }
    }
  }
  return false;
}

let cached: Promise<Availability> | undefined;

export function swtpmAvailability(): Promise<Availability> {
  cached ??= (async (): Promise<Availability> => {
    if (!(await has('swtpm', ['--version']))) return { available: false, reason: 'swtpm is not installed (apt: swtpm)' };
    if (!(await has('swtpm_ioctl', ['--version'])))
      return { available: false, reason: 'swtpm_ioctl is not installed (apt: swtpm-tools / swtpm)' };
    if (!(await has('tpm2_startup', ['--version']))) return { available: false, reason: 'tpm2-tools is not installed (apt: tpm2-tools)' };
    if (!(await hasSwtpmTcti())) return { available: false, reason: 'the swtpm TCTI is missing (apt: libtss2-tcti-swtpm0)' };
    return { available: true };
  })();
  return cached;
}

export async function swtpmAvailable(): Promise<boolean> {
  return (await swtpmAvailability()).available;
}
