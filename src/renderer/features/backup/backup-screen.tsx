// Backups: make an encrypted backup (to a file the owner picks in main's save dialog), then
// verify it or restore it. The list holds the backups made or opened in this window.
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { BackupFileDto } from '../../../shared/backup.contract.js';
import { Button } from '../../components/button.js';
import { OperationProgress, resetProgress } from '../../components/operation-progress.js';
import { QueryTable } from '../../components/query-table.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { formatTime } from '../../lib/format.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { RestoreBackupDialog } from './restore-backup-dialog.js';
import { VerifyBackupDialog } from './verify-backup-dialog.js';

export function BackupScreen() {
  return (
    <>
      <CreateBackupCard />
      <BackupsCard />
    </>
  );
}

export function formatBytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} kB`;
}

function CreateBackupCard() {
  const id = useId();
  const [kind, setKind] = useState<'passphrase' | 'age'>('passphrase');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [recipient, setRecipient] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const create = useAuditedMutation(queryKeys.backups, {
    mutationFn: () =>
      unwrap(
        vault().createBackup({
          protection: kind === 'age' ? { kind: 'age', recipient: recipient.trim() } : { kind: 'passphrase', passphrase },
        }),
      ),
    onSuccess: () => {
      setPassphrase('');
      setRepeat('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (kind === 'passphrase' && passphrase.length < 8) return setLocalError('Choose a backup passphrase of at least 8 characters.');
    if (kind === 'passphrase' && passphrase !== repeat) return setLocalError('The two passphrases do not match.');
    if (kind === 'age' && !/^age1[0-9a-z]{58}$/.test(recipient.trim()))
      return setLocalError('An age recipient looks like age1… (62 characters).');
    setLocalError(null);
    resetProgress('backup');
    create.mutate();
  };
  const made = create.data;
  return (
    <section className="card backup" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Backup</h2>
      <p className="muted">
        A backup holds every memory (still encrypted), the audit log and its checkpoints, signed with this vault’s audit key. You choose
        where the file goes.
      </p>
      <form onSubmit={submit} noValidate>
        <fieldset className="choice">
          <legend>Encrypt the backup with</legend>
          <label>
            <input type="radio" name={`${id}-kind`} checked={kind === 'passphrase'} onChange={() => setKind('passphrase')} /> A backup
            passphrase
          </label>
          <label>
            <input type="radio" name={`${id}-kind`} checked={kind === 'age'} onChange={() => setKind('age')} /> An age recipient (age1…)
          </label>
        </fieldset>
        {kind === 'passphrase' ? (
          <>
            <label htmlFor={`${id}-pass`}>Backup passphrase</label>
            <input
              id={`${id}-pass`}
              type="password"
              autoComplete="new-password"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
            <label htmlFor={`${id}-repeat`}>Repeat the backup passphrase</label>
            <input
              id={`${id}-repeat`}
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </>
        ) : (
          <>
            <label htmlFor={`${id}-age`}>Age recipient</label>
            <input id={`${id}-age`} spellCheck={false} value={recipient} onChange={(e) => setRecipient(e.target.value)} />
          </>
        )}
        {localError && (
          <p className="state state-error" role="alert">
            {localError}
          </p>
        )}
        {!localError && create.error && <ErrorNotice error={create.error} />}
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? 'Writing the backup…' : 'Create backup…'}
          </Button>
        </div>
      </form>
      <OperationProgress operation="backup" label="Backup progress" phases={{ write: 'Writing' }} />
      <p role="status" className="muted">
        {made === null ? 'No file chosen: nothing was written.' : ''}
        {made ? `Saved ${made.fileName} (${formatBytes(made.bytes)}, audit events ${made.fromSeq}–${made.toSeq}). Verify it below.` : ''}
      </p>
    </section>
  );
}

function BackupsCard() {
  const id = useId();
  const backups = useQuery({ queryKey: queryKeys.backups, queryFn: () => unwrap(vault().listBackups()) });
  const open = useAuditedMutation(queryKeys.backups, { mutationFn: () => unwrap(vault().openBackup()) });
  const [verifying, setVerifying] = useState<BackupFileDto | null>(null);
  const [restoring, setRestoring] = useState<BackupFileDto | null>(null);
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <div className="section-header">
        <h2 id={`${id}-h`}>Backup files</h2>
        <Button onClick={() => open.mutate()} disabled={open.isPending}>
          Open a backup file…
        </Button>
      </div>
      {open.error && <ErrorNotice error={open.error} />}
      <QueryTable
        query={backups}
        loadingLabel="Loading backups…"
        empty="No backup made or opened in this window yet."
        caption="Backup files made or opened in this window"
        columns={['File', 'Made', 'Kind', 'Encrypted with', 'Size']}
        row={(b) => (
          <tr key={b.backupId} data-testid="backup-row">
            <th scope="row">
              {b.fileName}
              {!b.ofThisVault && <span className="muted"> (another vault)</span>}
            </th>
            <td>{formatTime(b.createdAt)}</td>
            <td>{b.kind}</td>
            <td>{b.protection === 'age' ? 'age recipient' : 'passphrase'}</td>
            <td>{formatBytes(b.bytes)}</td>
            <td>
              <Button onClick={() => setVerifying(b)} aria-label={`Verify ${b.fileName}…`}>
                Verify…
              </Button>
              <Button onClick={() => setRestoring(b)} aria-label={`Restore ${b.fileName}…`}>
                Restore…
              </Button>
            </td>
          </tr>
        )}
      />
      {verifying && <VerifyBackupDialog backup={verifying} onClose={() => setVerifying(null)} />}
      {restoring && <RestoreBackupDialog backup={restoring} onClose={() => setRestoring(null)} />}
    </section>
  );
}
