// The form behind first run and unlock: one or two passphrase fields and a submit button.
import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../components/button.js';
import { ErrorNotice } from '../../components/states.js';

interface Props {
  readonly title: string;
  readonly intro: string;
  readonly submitLabel: string;
  readonly busyLabel: string;
  readonly confirm: boolean;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onSubmit: (passphrase: string) => void;
}

export function PassphraseForm({ title, intro, submitLabel, busyLabel, confirm, busy, error, onSubmit }: Props) {
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (confirm && passphrase.length < 8) return setLocalError('Choose a passphrase of at least 8 characters.');
    if (confirm && passphrase !== repeat) return setLocalError('The two passphrases differ.');
    setLocalError(null);
    onSubmit(passphrase);
  };

  return (
    <main className="gate">
      <form className="card gate-card" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>{title}</h1>
        <p className="muted">{intro}</p>
        <label htmlFor={`${id}-pass`}>Passphrase</label>
        <input
          id={`${id}-pass`}
          type="password"
          autoComplete={confirm ? 'new-password' : 'current-password'}
          autoFocus
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
        {confirm && (
          <>
            <label htmlFor={`${id}-repeat`}>Repeat passphrase</label>
            <input
              id={`${id}-repeat`}
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </>
        )}
        {localError && (
          <p className="state state-error" role="alert">
            {localError}
          </p>
        )}
        {!localError && error !== null && <ErrorNotice error={error} />}
        <Button type="submit" variant="primary" disabled={busy || passphrase.length === 0}>
          {busy ? busyLabel : submitLabel}
        </Button>
      </form>
    </main>
  );
}
