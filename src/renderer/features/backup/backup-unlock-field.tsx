// What opens an existing backup: its passphrase, or (for an age backup) the identity file main
// asks for when the action runs. Shared by the verify and restore dialogs.
import type { Ref } from 'react';
import type { BackupFileDto, BackupUnlockDto } from '../../../shared/backup.contract.js';

export function unlockFor(backup: BackupFileDto, passphrase: string): BackupUnlockDto {
  return backup.protection === 'age' ? { kind: 'age-identity-file' } : { kind: 'passphrase', passphrase };
}

export function BackupUnlockField(props: {
  id: string;
  backup: BackupFileDto;
  value: string;
  onChange: (v: string) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  if (props.backup.protection === 'age')
    return <p className="hint">This backup is encrypted to an age recipient: you will be asked for its identity file.</p>;
  return (
    <>
      <label htmlFor={props.id}>Backup passphrase</label>
      <input
        ref={props.inputRef}
        id={props.id}
        type="password"
        autoComplete="off"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </>
  );
}
