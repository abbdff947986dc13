// Key rotation: a new profile key and database key; every memory key is rewrapped (or, with
// "re-encrypt", every memory's content too). The vault locks when it finishes — the notice on the
// unlock screen (relock-notice.tsx) says how it ended — and opens again with the same credential.
import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../components/button.js';
import { OperationProgress, resetProgress } from '../../components/operation-progress.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { submitLabelFor, useCredentialInput, useKeySource } from '../vault/credential-fields.js';

export const ROTATION_PHASES: Readonly<Record<string, string>> = {
  prepare: 'Checking your credential',
  touch: 'Touch your security key for each level-5 memory',
  'pending-header': 'New keys written as pending',
  rewrap: 'Rewrapping memory keys',
  rekey: 'Re-encrypting the database file',
  audit: 'Recording the rotation in the audit log',
  'commit-header': 'Making the new keys current',
};

export function RotatePanel() {
  const id = useId();
  const source = useKeySource();
  const input = useCredentialInput({ source, idPrefix: `${id}-cred` });
  const credential = input.credential;
  const [full, setFull] = useState(false);
  const rotate = useAuditedMutation(queryKeys.status, {
    mutationFn: () =>
      credential ? unwrap(vault().rotateKey({ credential, ...(full ? { full: true } : {}) })) : Promise.reject(new Error('No credential')),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resetProgress('rotate');
    rotate.mutate();
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Rotate keys</h2>
      <p className="muted">
        Replaces the vault’s profile key and database key. Escrow shares made before stop working: make new ones afterwards. The vault locks
        when rotation finishes; unlock it again as usual.
      </p>
      <form onSubmit={submit}>
        <p className="checkbox-row">
          <input id={`${id}-full`} type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} />
          <label htmlFor={`${id}-full`}>Also re-encrypt every memory under a new data key (slower)</label>
        </p>
        {input.fields}
        {rotate.error && <ErrorNotice error={rotate.error} prefix="Not rotated" />}
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={credential === null || rotate.isPending}>
            {rotate.isPending ? 'Rotating…' : submitLabelFor(source, 'Rotate keys')}
          </Button>
        </div>
      </form>
      <OperationProgress operation="rotate" label="Key rotation progress" phases={ROTATION_PHASES} />
    </section>
  );
}
