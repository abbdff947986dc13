// Rename a registered key (audited as hardware-key.rename with the old and new names).
import { useId, useRef, useState, type FormEvent } from 'react';
import type { SecurityKeyDto } from '../../../shared/security-keys.contract.js';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';

export function RenameKeyDialog({ securityKey, onClose }: { securityKey: SecurityKeyDto; onClose: () => void }) {
  const id = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(securityKey.name);
  const rename = useAuditedMutation(queryKeys.securityKeys, {
    mutationFn: (next: string) => unwrap(vault().renameSecurityKey({ id: securityKey.id, name: next })),
    onSuccess: onClose,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate(name.trim());
  };
  return (
    <Modal labelledBy={`${id}-title`} initialFocus={nameRef} onEscape={onClose}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>{`Rename ${securityKey.name}`}</h2>
        <label htmlFor={`${id}-name`}>New name</label>
        <input
          ref={nameRef}
          id={`${id}-name`}
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        {rename.error && <ErrorNotice error={rename.error} />}
        <div className="modal-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={name.trim().length === 0 || rename.isPending}>
            Rename
          </Button>
        </div>
      </form>
    </Modal>
  );
}
