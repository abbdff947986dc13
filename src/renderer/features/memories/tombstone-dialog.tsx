// Tombstoning destroys a memory's key and content for good; the owner confirms by typing the
// memory's short id. Main checks the id too (the engine refuses a mismatch) — this is not a
// client-side-only guard.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { MemorySummaryDto } from '../../../shared/memory.dto.js';
import { Button } from '../../components/button.js';
import { LevelBadge } from '../../components/level-badge.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';

export function TombstoneDialog({ memory, onClose }: { memory: MemorySummaryDto; onClose: () => void }) {
  const id = useId();
  const client = useQueryClient();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [typed, setTyped] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(vault().tombstoneMemory({ memoryId: memory.id, confirmShortId: typed })),
    onSuccess: () => {
      void client.invalidateQueries();
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    m.mutate();
  };
  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-desc`} initialFocus={cancelRef} onEscape={onClose}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>Tombstone this memory?</h2>
        <p className="approval-memory">
          <LevelBadge level={memory.level} /> <strong>{memory.title}</strong>
        </p>
        <p id={`${id}-desc`}>
          Its key and content are destroyed; the metadata stays for the audit log. This cannot be undone. Type the short id{' '}
          <code>{memory.shortId}</code> to confirm.
        </p>
        <label htmlFor={`${id}-confirm`}>Short id</label>
        <input id={`${id}-confirm`} autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
        {m.error && <ErrorNotice error={m.error} />}
        <div className="modal-actions">
          <Button ref={cancelRef} onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={typed.trim().length === 0 || m.isPending}>
            Tombstone
          </Button>
        </div>
      </form>
    </Modal>
  );
}
