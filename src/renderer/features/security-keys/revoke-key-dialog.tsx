// Revoking a key is final: it can no longer recall level-5 memories or disarm the dead-man
// switch. When memories are bound to it they become unrecallable, so that needs an explicit tick.
import { useId, useRef, useState } from 'react';
import type { SecurityKeyDto } from '../../../shared/security-keys.contract.js';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';

export function RevokeKeyDialog({ securityKey, onClose }: { securityKey: SecurityKeyDto; onClose: () => void }) {
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const bound = securityKey.boundMemories;
  const [accept, setAccept] = useState(false);
  const revoke = useAuditedMutation(queryKeys.securityKeys, {
    mutationFn: () => unwrap(vault().revokeSecurityKey({ id: securityKey.id, ...(bound > 0 ? { force: accept } : {}) })),
    onSuccess: onClose,
  });
  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-desc`} initialFocus={cancelRef} onEscape={onClose}>
      <h2 id={`${id}-title`}>{`Revoke ${securityKey.name}?`}</h2>
      <p id={`${id}-desc`}>
        The key can no longer recall level-5 memories or disarm a dead-man switch it armed. This cannot be undone; registering the same key
        again gives it a new credential.
      </p>
      {bound > 0 && (
        <label className="checkbox-row">
          <input type="checkbox" checked={accept} onChange={(e) => setAccept(e.target.checked)} />
          {`${bound} level-5 memor${bound === 1 ? 'y is' : 'ies are'} bound to this key and will become unrecallable. Revoke anyway.`}
        </label>
      )}
      {revoke.error && <ErrorNotice error={revoke.error} />}
      <div className="modal-actions">
        <Button ref={cancelRef} onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" disabled={revoke.isPending || (bound > 0 && !accept)} onClick={() => revoke.mutate()}>
          Revoke key
        </Button>
      </div>
    </Modal>
  );
}
