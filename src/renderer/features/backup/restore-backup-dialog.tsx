// Restore a backup: into a new, empty folder the owner chooses (this vault stays as it is), or
// over this vault — which locks it first, keeps the current files aside (never deleted) and asks
// for an unlock afterwards. Either way the restored vault is opened with its passphrase and its
// audit log verified before it takes its place.
import { useQueryClient } from '@tanstack/react-query';
import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { BackupFileDto, RestoreMode } from '../../../shared/backup.contract.js';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { OperationProgress, resetProgress } from '../../components/operation-progress.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { useCredentialInput, useKeySource } from '../vault/credential-fields.js';
import { BackupUnlockField, unlockFor } from './backup-unlock-field.js';

export function RestoreBackupDialog({ backup, onClose }: { backup: BackupFileDto; onClose: () => void }) {
  const id = useId();
  const client = useQueryClient();
  const first = useRef<HTMLHeadingElement>(null);
  const [mode, setMode] = useState<RestoreMode>('new-directory');
  const [passphrase, setPassphrase] = useState('');
  // The restored vault opens with the credential it had when it was backed up (this vault's key source).
  const source = useKeySource();
  const vaultInput = useCredentialInput({ source, idPrefix: `${id}-vault`, passphraseLabel: 'Vault passphrase' });
  const vaultCredential = vaultInput.credential;
  const restore = useMutation({
    mutationFn: () =>
      vaultCredential
        ? unwrap(vault().restoreBackup({ backupId: backup.backupId, unlock: unlockFor(backup, passphrase), vaultCredential, mode }))
        : Promise.reject(new Error('No credential')),
    // A restore over this vault locked it: the window follows the vault's state.
    onSettled: () => (mode === 'replace' ? client.invalidateQueries() : undefined),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resetProgress('restore');
    restore.mutate();
  };
  const r = restore.data;
  const ready = vaultCredential !== null && (backup.protection === 'age' || passphrase !== '');
  return (
    <Modal labelledBy={`${id}-title`} initialFocus={first} onEscape={onClose}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`} ref={first} tabIndex={-1}>
          Restore {backup.fileName}
        </h2>
        <fieldset className="choice">
          <legend>Restore into</legend>
          <label>
            <input type="radio" name={`${id}-mode`} checked={mode === 'new-directory'} onChange={() => setMode('new-directory')} /> A new,
            empty folder (you choose it; this vault stays as it is)
          </label>
          <label>
            <input type="radio" name={`${id}-mode`} checked={mode === 'replace'} onChange={() => setMode('replace')} /> This vault,
            replacing it
          </label>
        </fieldset>
        {mode === 'replace' && (
          <p className="banner banner-warn">
            The vault locks, agents are disconnected, and the current vault folder is moved aside (not deleted). Unlock again afterwards.
          </p>
        )}
        <BackupUnlockField id={`${id}-pass`} backup={backup} value={passphrase} onChange={setPassphrase} />
        {vaultInput.fields}
        <p className="hint">The restored vault opens with the credential it had when it was backed up.</p>
        <OperationProgress operation="restore" label="Restore progress" phases={{ read: 'Reading and restoring' }} />
        {restore.error && <ErrorNotice error={restore.error} prefix="Not restored" />}
        {r === null && <p role="status">No folder chosen: nothing was restored.</p>}
        {r && (
          <p className="banner banner-ok" role="status" data-testid="restore-result">
            {`Restored vault ${r.vaultId.slice(0, 8)} into ${r.target}: ${r.memories} memories, ${r.auditEvents} audit events; ${r.auditVerified ? 'it opens with that passphrase and its audit log verifies' : 'not verified'}.`}
            {r.previousVaultMovedTo ? ` The previous vault is at ${r.previousVaultMovedTo}.` : ''}
          </p>
        )}
        <div className="modal-actions">
          <Button onClick={onClose}>{r ? 'Close' : 'Cancel'}</Button>
          <Button type="submit" variant={mode === 'replace' ? 'danger' : 'primary'} disabled={restore.isPending || !ready}>
            {restore.isPending ? 'Restoring…' : mode === 'replace' ? 'Replace this vault' : 'Restore…'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
