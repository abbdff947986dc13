// The form that makes an escrow: a label, its holders (each a file or an age recipient), how many
// shares recover, and the vault's own credential (the recovery key wraps the profile key, which
// the credential opens).
import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../components/button.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { submitLabelFor, useCredentialInput, useKeySource } from '../vault/credential-fields.js';
import { holderProblem, toHolder, type HolderDraft } from './holder-draft.js';

const blank = (): HolderDraft => ({ name: '', kind: 'file', recipient: '' });

export function CreateEscrowForm() {
  const id = useId();
  const [label, setLabel] = useState('recovery');
  const [threshold, setThreshold] = useState('2');
  const [holders, setHolders] = useState<HolderDraft[]>([blank(), blank(), blank()]);
  const source = useKeySource();
  const input = useCredentialInput({ source, idPrefix: `${id}-cred` });
  const credential = input.credential;
  const [localError, setLocalError] = useState<string | null>(null);
  const create = useAuditedMutation(queryKeys.escrows, {
    mutationFn: (k: number) =>
      credential
        ? unwrap(vault().createEscrow({ credential, label: label.trim(), threshold: k, holders: holders.map(toHolder) }))
        : Promise.reject(new Error('No credential')),
    onSuccess: () => setHolders([blank(), blank(), blank()]),
  });
  const setHolder = (i: number, change: Partial<HolderDraft>) => setHolders((hs) => hs.map((h, j) => (j === i ? { ...h, ...change } : h)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const k = Number(threshold);
    const problem =
      label.trim() === ''
        ? 'Give the escrow a label.'
        : (holders.map(holderProblem).find((p) => p !== null) ??
          (!Number.isInteger(k) || k < 2 || k > holders.length
            ? `Shares needed must be a whole number from 2 to ${holders.length}.`
            : null));
    setLocalError(problem);
    if (problem === null) create.mutate(k);
  };
  return (
    <form onSubmit={submit} noValidate className="escrow-form" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>New escrow</h3>
      <label htmlFor={`${id}-label`}>Label</label>
      <input id={`${id}-label`} value={label} onChange={(e) => setLabel(e.target.value)} />
      <fieldset className="holders">
        <legend>Holders (one share each)</legend>
        {holders.map((h, i) => (
          <div className="holder-row" key={i} data-testid="holder-row">
            <div className="field">
              <label htmlFor={`${id}-h${i}-name`}>{`Holder ${i + 1} name`}</label>
              <input id={`${id}-h${i}-name`} value={h.name} onChange={(e) => setHolder(i, { name: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-h${i}-kind`}>{`Holder ${i + 1} share as`}</label>
              <select
                id={`${id}-h${i}-kind`}
                value={h.kind}
                onChange={(e) => setHolder(i, { kind: e.target.value === 'age' ? 'age' : 'file' })}
              >
                <option value="file">Printable file</option>
                <option value="age">Encrypted to an age recipient</option>
              </select>
            </div>
            {h.kind === 'age' && (
              <div className="field field-wide">
                <label htmlFor={`${id}-h${i}-age`}>{`Holder ${i + 1} age recipient`}</label>
                <input
                  id={`${id}-h${i}-age`}
                  spellCheck={false}
                  value={h.recipient}
                  onChange={(e) => setHolder(i, { recipient: e.target.value })}
                />
              </div>
            )}
            {holders.length > 2 && (
              <Button onClick={() => setHolders((hs) => hs.filter((_, j) => j !== i))} aria-label={`Remove holder ${i + 1}`}>
                Remove
              </Button>
            )}
          </div>
        ))}
        <Button onClick={() => setHolders((hs) => [...hs, blank()])}>Add a holder</Button>
      </fieldset>
      <label htmlFor={`${id}-k`}>Shares needed to recover</label>
      <input
        id={`${id}-k`}
        type="number"
        min={2}
        max={holders.length}
        step={1}
        value={threshold}
        onChange={(e) => setThreshold(e.target.value)}
      />
      {input.fields}
      {localError && (
        <p className="state state-error" role="alert">
          {localError}
        </p>
      )}
      {!localError && create.error && <ErrorNotice error={create.error} prefix="No escrow made" />}
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={credential === null || create.isPending}>
          {create.isPending ? 'Making shares…' : submitLabelFor(source, 'Create escrow')}
        </Button>
      </div>
    </form>
  );
}
