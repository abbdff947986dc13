// Key rotation from the desktop window over src/node/rotation (the code behind `rotate-key`).
// Like the CLI, it runs with nothing else serving the vault: the owner's credential is checked
// on the open session first (a wrong one changes nothing), then the vault locks — pending
// requests expire, the agent server stops — and a fresh owner session is rotated. rotateProfileKey
// closes that session (its engine held the old key), so the vault is left locked and the owner
// unlocks again under the new keys (the passphrase, keyfile or TPM PIN itself does not change).
import { rotateProfileKey } from '../../node/rotation/rotate-profile-key.js';
import type { RotationResultDto } from '../../shared/recovery.contract.js';
import type { OwnerCredentialDto } from '../../shared/vault.contract.js';
import type { DesktopBackend } from './desktop-backend.service.js';
import { tracked } from './desktop-progress.js';

export async function rotateFromDesktop(
  backend: DesktopBackend,
  args: { credential: OwnerCredentialDto; full?: boolean | undefined },
): Promise<RotationResultDto> {
  const r = await backend.withOwnerCredentials(args.credential, 'rotate', async (credentials) => {
    await backend.currentSession().verifyOwner(credentials, 'desktop');
    return backend.runLocked((openOwnerSession) =>
      tracked(
        (e) => backend.reportProgress(e),
        'rotate',
        async (report) =>
          rotateProfileKey(await openOwnerSession(credentials), {
            credentials,
            full: args.full === true,
            channel: 'desktop',
            onProgress: (p) => report(p.phase, p.done, p.total),
          }),
        { relock: true },
      ),
    );
  });
  return { from: r.from, to: r.to, full: r.full, memories: r.memories, level5: r.level5, escrowsInvalidated: r.escrowsInvalidated };
}
