// Disarm: the stored packages are destroyed; only the key that armed the switch can do it.
import { useId, useRef } from 'react';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { TouchPrompt } from '../security-keys/touch-prompt.js';

export function DisarmDeadmanDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const disarm = useAuditedMutation(queryKeys.deadman, {
    mutationFn: () => unwrap(vault().disarmDeadman()),
    onSuccess: onClose,
  });
  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-desc`} initialFocus={cancelRef} onEscape={onClose}>
      <h2 id={`${id}-title`}>Disarm the dead-man switch?</h2>
      <p id={`${id}-desc`}>The sealed packages are destroyed. You will be asked to touch the security key that armed the switch.</p>
      {disarm.isPending && <TouchPrompt>Touch the security key that armed the switch.</TouchPrompt>}
      {disarm.error && <ErrorNotice error={disarm.error} prefix="Still armed" />}
      <div className="modal-actions">
        <Button ref={cancelRef} onClick={onClose} disabled={disarm.isPending}>
          Cancel
        </Button>
        <Button variant="danger" disabled={disarm.isPending} onClick={() => disarm.mutate()}>
          Disarm
        </Button>
      </div>
    </Modal>
  );
}
