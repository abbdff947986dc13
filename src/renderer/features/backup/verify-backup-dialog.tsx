// Verify a backup without restoring it: every chunk authenticated, the audit log inside checked
// against its signed checkpoints, the manifest against this vault's audit key.
import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { BackupFileDto } from '../../../shared/backup.contract.js';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { OperationProgress, resetProgress } from '../../components/operation-progress.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { BackupUnlockField, unlockFor } from './backup-unlock-field.js';

const CHECK_TEXT = {
  'roots-and-signatures': 'audit log re-hashed to every signed checkpoint',
  'signatures-and-sequence': 'checkpoint signatures and event sequence checked (incremental)',
} as const;

export function VerifyBackupDialog({ backup, onClose }: { backup: BackupFileDto; onClose: () => void }) {
  const id = useId();
  const first = useRef<HTMLHeadingElement>(null);
  const [passphrase, setPassphrase] = useState('');
  const verify = useMutation({
    mutationFn: () => unwrap(vault().verifyBackup({ backupId: backup.backupId, unlock: unlockFor(backup, passphrase) })),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resetProgress('verify');
    verify.mutate();
  };
  const r = verify.data;
  return (
    <Modal labelledBy={`${id}-title`} initialFocus={first} onEscape={onClose}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`} ref={first} tabIndex={-1}>
          Verify {backup.fileName}
        </h2>
        <BackupUnlockField id={`${id}-pass`} backup={backup} value={passphrase} onChange={setPassphrase} />
        <OperationProgress operation="verify" label="Verification progress" phases={{ read: 'Reading and checking' }} />
        {verify.error && <ErrorNotice error={verify.error} prefix="Not verified" />}
        {r && (
          <p className="banner banner-ok" role="status" data-testid="verify-result">
            {`Verified: ${r.memories} memories, ${r.auditEvents} audit events, ${r.checkpoints} checkpoints; ${CHECK_TEXT[r.auditCheck]}; ${r.signed ? 'signed by this vault’s audit key' : 'UNSIGNED'}.`}
          </p>
        )}
        <div className="modal-actions">
          <Button onClick={onClose}>{r ? 'Close' : 'Cancel'}</Button>
          <Button type="submit" variant="primary" disabled={verify.isPending || (backup.protection === 'passphrase' && passphrase === '')}>
            {verify.isPending ? 'Verifying…' : 'Verify'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
