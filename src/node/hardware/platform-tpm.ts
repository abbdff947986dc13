// "Does this machine have a TPM?" for the level-4 rule (DESIGN §2: key sealed to the TPM where
// one exists). Cheap when there is obviously none (no TCTI configured, no device node), probed
// once per session otherwise, never throws.
import { existsSync } from 'node:fs';
import { probeTpm } from '../tpm/tpm-probe.js';

const DEVICE_NODES = ['/dev/tpmrm0', '/dev/tpm0'];

export function tpmPresence(tcti?: string): () => Promise<boolean> {
  let cached: Promise<boolean> | undefined;
  return () => {
    cached ??= (async () => {
      const configured = tcti ?? process.env.TPM2TOOLS_TCTI;
      if ((configured === undefined || configured === '') && !DEVICE_NODES.some((p) => existsSync(p))) return false;
      try {
        return (await probeTpm(tcti, { timeoutMs: 15_000 })).present;
      } catch {
        return false;
      }
    })();
    return cached;
  };
}
