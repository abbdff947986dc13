// Revoking a token is final: the agent is refused on its next call (main checks every call), its
// pending requests end and its grants are removed (the engine re-checks every gate at delivery).
import { useId, useRef } from 'react';
import type { AgentDto } from '../../../shared/agents.contract.js';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';

export function RevokeAgentDialog({ agent, onClose }: { agent: AgentDto; onClose: () => void }) {
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const revoke = useAuditedMutation(queryKeys.agents, {
    mutationFn: () => unwrap(vault().revokeAgent({ agentId: agent.id })),
    onSuccess: onClose,
  });
  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-desc`} initialFocus={cancelRef} onEscape={onClose}>
      <h2 id={`${id}-title`}>{`Revoke ${agent.name}?`}</h2>
      <p id={`${id}-desc`}>
        Its token stops working on the agent&apos;s next call, including on a connection it already has open; requests it has waiting for
        your approval end and its grants are removed. This cannot be undone: to let the agent back in, create a new token.
      </p>
      {revoke.error && <ErrorNotice error={revoke.error} />}
      <div className="modal-actions">
        <Button ref={cancelRef} onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
          Revoke token
        </Button>
      </div>
    </Modal>
  );
}
