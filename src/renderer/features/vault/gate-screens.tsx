// First run (create a vault) and unlock, for every key source: passphrase, keyfile (chosen in
// main with the OS file chooser) and TPM (with its PIN). The unlock screen asks for what the
// vault's header says opens it. Secrets go to main and are never stored here.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { KeySourceDto, OwnerCredentialDto } from '../../../shared/vault.contract.js';
import { Button } from '../../components/button.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { submitLabelFor, useCredentialInput } from './credential-fields.js';

function useGateMutation(run: (credential: OwnerCredentialDto) => ReturnType<Window['vault']['unlock']>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credential: OwnerCredentialDto) => unwrap(run(credential)),
    onSuccess: (status) => {
      client.setQueryData(queryKeys.status, status);
      void client.invalidateQueries();
    },
  });
}

interface GateFormProps {
  readonly source: KeySourceDto;
  readonly isNew: boolean;
  readonly submitLabel: string;
  readonly busyLabel: string;
  readonly run: (credential: OwnerCredentialDto) => ReturnType<Window['vault']['unlock']>;
}

/** The fields for one key source and the submit button; remounted when the source changes. */
function GateForm({ source, isNew, submitLabel, busyLabel, run }: GateFormProps) {
  const id = useId();
  const m = useGateMutation(run);
  const input = useCredentialInput({ source, idPrefix: id, isNew, autoFocus: true });
  const [localError, setLocalError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (input.problem) return setLocalError(input.problem);
    setLocalError(null);
    if (input.credential) m.mutate(input.credential);
  };
  return (
    <form onSubmit={submit} className="gate-fields">
      {input.fields}
      {localError && (
        <p className="state state-error" role="alert">
          {localError}
        </p>
      )}
      {!localError && m.error !== null && <ErrorNotice error={m.error} />}
      <Button type="submit" variant="primary" disabled={m.isPending || input.credential === null}>
        {m.isPending ? busyLabel : submitLabelFor(source, submitLabel)}
      </Button>
    </form>
  );
}

const NEW_SOURCES: readonly { kind: KeySourceDto['kind']; label: string; hint: string }[] = [
  { kind: 'passphrase', label: 'A passphrase', hint: 'It encrypts everything and cannot be recovered if lost.' },
  { kind: 'keyfile', label: 'A keyfile', hint: 'A file of at least 32 random bytes; keep a copy somewhere safe.' },
  { kind: 'tpm2', label: 'This machine’s TPM', hint: 'The key is sealed to this machine; an optional PIN adds a second factor.' },
];

export function FirstRunScreen({ vaultDir }: { vaultDir: string }) {
  const id = useId();
  const [kind, setKind] = useState<KeySourceDto['kind']>('passphrase');
  const source: KeySourceDto = kind === 'tpm2' ? { kind, pinRequired: false } : { kind };
  const hint = NEW_SOURCES.find((s) => s.kind === kind)?.hint ?? '';
  return (
    <main className="gate">
      <section className="card gate-card" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>Create your vault</h1>
        <p className="muted">{`No vault exists yet in ${vaultDir}. Choose how it is unlocked.`}</p>
        <fieldset className="key-source-choice">
          <legend>Key source</legend>
          {NEW_SOURCES.map((s) => (
            <label key={s.kind} className="radio">
              <input type="radio" name={`${id}-source`} value={s.kind} checked={kind === s.kind} onChange={() => setKind(s.kind)} />
              {s.label}
            </label>
          ))}
        </fieldset>
        <p className="muted">{hint}</p>
        <GateForm
          key={kind}
          source={source}
          isNew
          submitLabel="Create vault"
          busyLabel="Creating…"
          run={(credential) => vault().createVault({ credential })}
        />
      </section>
    </main>
  );
}

const UNLOCK_INTRO: Record<KeySourceDto['kind'], string> = {
  passphrase: 'Agents cannot recall anything that needs your approval while the vault is locked.',
  keyfile: 'This vault is unlocked with its keyfile. Agents cannot recall anything that needs your approval while it is locked.',
  tpm2: 'This vault’s key is sealed to this machine’s TPM. Agents cannot recall anything that needs your approval while it is locked.',
};

export function UnlockScreen({ source }: { source: KeySourceDto | null }) {
  const id = useId();
  const known = source ?? { kind: 'passphrase' };
  return (
    <main className="gate">
      <section className="card gate-card" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>Unlock Memory Vault</h1>
        <p className="muted">{UNLOCK_INTRO[known.kind]}</p>
        <GateForm
          key={known.kind}
          source={known}
          isNew={false}
          submitLabel="Unlock"
          busyLabel="Unlocking…"
          run={(credential) => vault().unlock({ credential })}
        />
      </section>
    </main>
  );
}
