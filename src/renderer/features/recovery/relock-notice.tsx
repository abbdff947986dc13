// Above the unlock screen after an operation that ran with the vault locked and left it locked
// (key rotation, a restore over this vault): how it ended, since the screen that started it is
// gone. Cleared when the workspace shows again (clearRelocked, in app.tsx).
import { OperationProgress, useOperationProgress } from '../../components/operation-progress.js';
import { ROTATION_PHASES } from './rotate-panel.js';

export function RelockNotice() {
  const rotation = useOperationProgress('rotate');
  const restore = useOperationProgress('restore');
  const rotated = rotation?.relock === true ? rotation : null;
  const restored = restore?.relock === true ? restore : null;
  if (!rotated && !restored) return null;
  return (
    <div className="relock-notice" data-testid="relock-notice">
      {rotated && (
        <>
          <OperationProgress operation="rotate" label="Key rotation progress" phases={ROTATION_PHASES} />
          <p role="status">
            {rotated.phase === 'done'
              ? 'Keys rotated. Unlock with your passphrase to continue.'
              : rotated.phase === 'failed'
                ? 'Key rotation stopped; the vault keeps its keys. Unlock to continue.'
                : 'Rotating the keys: wait until it has finished before unlocking.'}
          </p>
        </>
      )}
      {restored && (
        <>
          <OperationProgress operation="restore" label="Restore progress" phases={{ read: 'Reading and restoring' }} />
          <p role="status">
            {restored.phase === 'done'
              ? 'Backup restored over this vault (the previous one was moved aside). Unlock the restored vault with its passphrase.'
              : restored.phase === 'failed'
                ? 'The restore stopped; the vault is as it was. Unlock to continue.'
                : 'Restoring the backup: wait until it has finished before unlocking.'}
          </p>
        </>
      )}
    </div>
  );
}
