// Child process for the rotation crash test: unlocks the vault (compiled dist/ code) and rotates
// its keys, printing each progress step synchronously to stdout so the parent can SIGKILL it at
// a chosen step. argv: vaultDir passphrase [full]
import { writeSync } from 'node:fs';
import { unlockVault } from '../../../dist/node/composition/vault-sessions.js';
import { rotateProfileKey } from '../../../dist/node/rotation/rotate-profile-key.js';

const [dir, passphrase, mode] = process.argv.slice(2);
const credentials = { kind: 'passphrase', passphrase };
const session = await unlockVault({ dir, credentials });
writeSync(1, 'phase unlocked\n');
const result = await rotateProfileKey(session, {
  credentials,
  full: mode === 'full',
  onProgress: (p) => writeSync(1, `phase ${p.phase} ${p.done}/${p.total}\n`),
});
writeSync(1, `result ${JSON.stringify(result)}\n`);
