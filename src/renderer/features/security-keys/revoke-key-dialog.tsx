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
  // Losing memories or the only way to disarm the switch: either needs an explicit tick.
  const needsAccept = bound > 0 || securityKey.armsDeadman;
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
      {securityKey.armsDeadman && (
        <p className="state state-warning">
          This key armed the dead-man switch. Once it is revoked the switch cannot be disarmed: only check-ins keep it from releasing.
        </p>
      )}
      {needsAccept && (
        <label className="checkbox-row">
          <input type="checkbox" checked={accept} onChange={(e) => setAccept(e.target.checked)} />
          {bound > 0
            ? `${bound} level-5 memor${bound === 1 ? 'y is' : 'ies are'} bound to this key and will become unrecallable. Revoke anyway.`
            : 'Revoke anyway.'}
        </label>
      )}
      {revoke.error && <ErrorNotice error={revoke.error} />}
      <div className="modal-actions">
        <Button ref={cancelRef} onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" disabled={revoke.isPending || (needsAccept && !accept)} onClick={() => revoke.mutate()}>
          Revoke key
        </Button>
      </div>
    </Modal>
  );
}
