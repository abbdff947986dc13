// The inputs for the vault's own key source, shared by unlock, first run, lifting lockdown and
// re-authenticating a reveal: a passphrase field, a TPM PIN field, or (keyfile) nothing — main
// opens the OS file chooser itself, so the keyfile's bytes and path never enter this window.
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactElement } from 'react';
import type { KeySourceDto, OwnerCredentialDto } from '../../../shared/vault.contract.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

export interface CredentialInput {
  readonly fields: ReactElement | null;
  /** What to send, or null while a required field is empty. */
  readonly credential: OwnerCredentialDto | null;
  /** A problem to show instead of submitting (new vault: too short, repeat differs). */
  readonly problem: string | null;
}

interface Options {
  readonly source: KeySourceDto;
  readonly idPrefix: string;
  /** First run: ask twice and enforce the minimum length. */
  readonly isNew?: boolean;
  /** The passphrase field's label (the reveal panel names the level). */
  readonly passphraseLabel?: string;
  readonly autoFocus?: boolean;
}

function SecretField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  autoComplete: string;
  autoFocus?: boolean | undefined;
}) {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        autoComplete={props.autoComplete}
        autoFocus={props.autoFocus}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </>
  );
}

const MIN_PASSPHRASE = 8;

export function useCredentialInput({
  source,
  idPrefix,
  isNew = false,
  passphraseLabel = 'Passphrase',
  autoFocus,
}: Options): CredentialInput {
  const [secret, setSecret] = useState('');
  const [repeat, setRepeat] = useState('');
  const complete = isNew ? 'new-password' : 'current-password';
  const repeatField = (label: string) =>
    isNew ? <SecretField id={`${idPrefix}-repeat`} label={label} value={repeat} onChange={setRepeat} autoComplete="new-password" /> : null;

  switch (source.kind) {
    case 'passphrase': {
      const problem =
        isNew && secret.length < MIN_PASSPHRASE
          ? `Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`
          : isNew && secret !== repeat
            ? 'The two passphrases differ.'
            : null;
      return {
        fields: (
          <>
            <SecretField
              id={`${idPrefix}-pass`}
              label={passphraseLabel}
              value={secret}
              onChange={setSecret}
              autoComplete={complete}
              autoFocus={autoFocus}
            />
            {repeatField('Repeat passphrase')}
          </>
        ),
        credential: secret.length > 0 ? { kind: 'passphrase', passphrase: secret } : null,
        problem,
      };
    }
    case 'tpm2': {
      // At first run the PIN is optional; at unlock it is asked only when the key was sealed with one.
      const askPin = isNew || source.pinRequired;
      const problem = isNew && secret !== repeat ? 'The two PINs differ.' : null;
      return {
        fields: askPin ? (
          <>
            <SecretField
              id={`${idPrefix}-pin`}
              label={isNew ? 'TPM PIN (optional)' : 'TPM PIN'}
              value={secret}
              onChange={setSecret}
              autoComplete="off"
              autoFocus={autoFocus}
            />
            {repeatField('Repeat TPM PIN')}
          </>
        ) : (
          <p className="muted">This machine&rsquo;s TPM releases the vault key; no PIN was set.</p>
        ),
        credential: !askPin || (isNew && secret.length === 0) ? { kind: 'tpm2' } : secret.length > 0 ? { kind: 'tpm2', pin: secret } : null,
        problem,
      };
    }
    case 'keyfile':
      return {
        fields: <p className="muted">You will choose the keyfile in the next step; it is read by the vault process only.</p>,
        credential: { kind: 'keyfile' },
        problem: null,
      };
  }
}

/** The open vault's key source (from the status the app already holds); passphrase if unknown. */
export function useKeySource(): KeySourceDto {
  const status = useQuery({ queryKey: queryKeys.status, queryFn: () => unwrap(vault().status()) });
  return status.data?.keySource ?? { kind: 'passphrase' };
}

/** Button text: a keyfile is chosen on submit, so the button says so. */
export function submitLabelFor(source: KeySourceDto, label: string): string {
  return source.kind === 'keyfile' ? `Choose keyfile and ${label.toLowerCase()}` : label;
}
