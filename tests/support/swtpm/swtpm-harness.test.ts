import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startSwtpm, swtpmAvailability } from './swtpm-harness.js';

const availability = await swtpmAvailability();
if (!availability.available) console.warn(`[swtpm-harness.test] skipping: ${availability.reason ?? 'unknown'}`);
const itTpm = it.skipIf(!availability.available);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('swtpm harness', () => {
  itTpm('starts a working swtpm, reboots it (PCRs reset), and its process is gone after stop()', async () => {
    const tpm = await startSwtpm();
    try {
      expect(tpm.ctrlPort).toBe(tpm.port + 1);
      expect(tpm.tcti).toBe(`swtpm:host=127.0.0.1,port=${tpm.port}`);
      expect(alive(tpm.pid)).toBe(true);
      expect((await tpm.tool('tpm2_getrandom', ['8', '--hex'])).stdout).toMatch(/^[0-9a-f]{16}$/);
      // A reboot resets the PCRs: extend PCR 16, reboot, read it back as zero.
      expect((await tpm.tool('tpm2_pcrextend', [`16:sha256=${'ab'.repeat(32)}`])).exitCode).toBe(0);
      await tpm.reboot();
      expect((await tpm.tool('tpm2_pcrread', ['sha256:16'])).stdout).toMatch(/16\s*:\s*0x0{64}/);
      await tpm.reboot({ orderly: false });
      expect((await tpm.tool('tpm2_getrandom', ['4', '--hex'])).exitCode).toBe(0);
    } finally {
      await tpm.stop();
    }
    expect(alive(tpm.pid)).toBe(false);
    expect(existsSync(tpm.stateDir)).toBe(false);
    await tpm.stop(); // idempotent
  });

  itTpm('runs two instances side by side on distinct ports', async () => {
    const [a, b] = await Promise.all([startSwtpm(), startSwtpm()]);
    try {
      expect(a.port).not.toBe(b.port);
      expect((await a.tool('tpm2_getrandom', ['4', '--hex'])).exitCode).toBe(0);
      expect((await b.tool('tpm2_getrandom', ['4', '--hex'])).exitCode).toBe(0);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(alive(a.pid) || alive(b.pid)).toBe(false);
  });
});
