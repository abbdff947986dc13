// Always visible in the header. Engaging is one click (an emergency should not ask twice);
// lifting asks for the vault's own credential (passphrase, keyfile or TPM PIN), because main
// requires the owner's proof.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { submitLabelFor, useCredentialInput, useKeySource } from '../vault/credential-fields.js';

export function LockdownControl() {
  const client = useQueryClient();
  const state = useQuery({ queryKey: queryKeys.lockdown, queryFn: () => unwrap(vault().lockdownStatus()) });
  const refresh = () => client.invalidateQueries();
  const engage = useMutation({ mutationFn: () => unwrap(vault().engageLockdown({})), onSuccess: refresh });
  const [lifting, setLifting] = useState(false);
  if (state.data?.on) {
    return (
      <>
        <span className="lockdown-on" role="status">
          Lockdown active
        </span>
        <Button variant="secondary" onClick={() => setLifting(true)}>
          Lift lockdown…
        </Button>
        {lifting && <LiftDialog onClose={() => setLifting(false)} />}
      </>
    );
  }
  return (
    <>
      <Button variant="danger" disabled={engage.isPending} onClick={() => engage.mutate()} title="Refuse every recall until you lift it">
        Lockdown
      </Button>
      {engage.error && <ErrorNotice error={engage.error} />}
    </>
  );
}

function LiftDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const client = useQueryClient();
  const cancel = useRef<HTMLButtonElement>(null);
  const source = useKeySource();
  const input = useCredentialInput({ source, idPrefix: id });
  const credential = input.credential;
  const lift = useMutation({
    mutationFn: () => (credential ? unwrap(vault().liftLockdown({ credential })) : Promise.reject(new Error('No credential'))),
    onSuccess: () => {
      void client.invalidateQueries();
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    lift.mutate();
  };
  return (
    <Modal labelledBy={`${id}-title`} initialFocus={cancel} onEscape={onClose}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>Lift lockdown</h2>
        <p className="muted">Agents will be able to recall memories again, subject to the usual approvals.</p>
        {input.fields}
        {lift.error && <ErrorNotice error={lift.error} />}
        <div className="modal-actions">
          <Button ref={cancel} onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={credential === null || lift.isPending}>
            {submitLabelFor(source, 'Lift lockdown')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
