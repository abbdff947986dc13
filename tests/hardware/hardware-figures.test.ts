// Benchmark-style figures (printed, never asserted): level-5 recall through the software
// authenticator vs level-4 recall, on a TPM-bound vault over swtpm, and the TPM unseal time.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TpmSealer } from '../../src/node/tpm/tpm-sealer.js';
import { registerHardwareKey } from '../../src/node/hardware/hardware-key-admin.js';
import { initVault, unlockVault } from '../../src/node/composition/vault-sessions.js';
import { createSoftKey, transportFor } from '../support/fido2/soft-key.js';
import { startSwtpm, swtpmAvailability, type SwtpmInstance } from '../support/swtpm/swtpm-harness.js';
import { airGapped, approvingGate, tempDir } from '../support/vault-fixture.js';
import { OWNER, ms } from './support.js';

const availability = await swtpmAvailability();
if (!availability.available) console.warn(`[tests/hardware/hardware-figures] skipping: ${availability.reason ?? 'unknown'}`);
const itTpm = it.skipIf(!availability.available);

const ROUNDS = 20;
let tpm: SwtpmInstance;
beforeAll(async () => {
  if (availability.available) tpm = await startSwtpm();
});
afterAll(async () => {
  await tpm?.stop();
});

const fmt = (xs: number[]): string => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return `mean ${mean.toFixed(2)} ms, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms (n=${xs.length})`;
};

describe('hardware figures', () => {
  itTpm('prints level-5 (soft authenticator) vs level-4 recall times and the TPM unseal time', async () => {
    const t = tempDir();
    const key = createSoftKey();
    const opts = {
      tpm: { tcti: tpm.tcti, pcrs: 'sha256:0,7' },
      gates: { approvals: approvingGate(), environment: airGapped },
      hardwareKey: { transport: transportFor(key) },
    };
    let session = await initVault({ dir: t.path, credentials: { kind: 'tpm2' }, ...opts });
    try {
      await registerHardwareKey(session, { transport: transportFor(key), name: 'bench key' });
      const l4 = await session.engine.store({ content: 'four', level: 4, title: 'l4' }, OWNER);
      const l5 = await session.engine.store({ content: 'five', level: 5, title: 'l5' }, OWNER);
      const time = async (id: string, expected: string): Promise<number[]> => {
        const out: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const t0 = process.hrtime.bigint();
          const r = await session.engine.recall({ memoryId: id, justification: 'bench' }, OWNER);
          out.push(ms(t0));
          expect(r.content.toString()).toBe(expected);
        }
        return out;
      };
      const four = await time(l4.id, 'four');
      const five = await time(l5.id, 'five');

      session.close();
      const unlocks: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = process.hrtime.bigint();
        session = await unlockVault({ dir: t.path, credentials: { kind: 'tpm2' }, ...opts });
        unlocks.push(ms(t0));
        if (i < 2) session.close();
      }

      const sealer = new TpmSealer({ tcti: tpm.tcti, pcrs: 'sha256:0,7' });
      const blob = await sealer.seal(randomBytes(32));
      const unseals: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = process.hrtime.bigint();
        expect((await sealer.unseal(blob)).length).toBe(32);
        unseals.push(ms(t0));
      }
      console.log(
        [
          '[hardware figures] (swtpm over TCP, software CTAP2 authenticator over a soft HID channel; 2 shared cores)',
          `  level-4 recall (approval + boundary gates, TPM-bound vault): ${fmt(four)}`,
          `  level-5 recall (+ FIDO2 getAssertion probe + hmac-secret assertion + WebAuthn verify): ${fmt(five)}`,
          `  TPM unseal (tpm2-tools: createprimary + load + policy session + unseal): ${fmt(unseals)}`,
          `  unlock of a TPM-bound vault: ${fmt(unlocks)}`,
        ].join('\n'),
      );
    } finally {
      session.close();
      t.remove();
    }
  });
});
