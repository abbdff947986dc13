// "Edit labels": the owner changes a memory's title, tags and metadata. Level, namespace and
// content are bound into the memory's envelope and cannot change; main records which fields
// changed (never their values) in the audit log.
import { useId, useRef, useState, type FormEvent } from 'react';
import type { MemorySummaryDto } from '../../../shared/memory.dto.js';
import type { EditLabelsInput } from '../../../shared/memory-write.contract.js';
import { Button } from '../../components/button.js';
import { LevelBadge } from '../../components/level-badge.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { MetadataEditor, metadataOf, parseTags, useLabelState } from './label-fields.js';

export function EditLabelsDialog({ memory, onClose }: { memory: MemorySummaryDto; onClose: () => void }) {
  const id = useId();
  const titleRef = useRef<HTMLInputElement>(null);
  const labels = useLabelState(memory);
  const [problem, setProblem] = useState<string | null>(null);
  const edit = useAuditedMutation(queryKeys.memoriesAll, {
    mutationFn: (req: EditLabelsInput) => unwrap(vault().editMemoryLabels(req)),
    onSuccess: onClose,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const metadata = metadataOf(labels.rows);
    if ('error' in metadata) return setProblem(metadata.error);
    setProblem(null);
    edit.mutate({ memoryId: memory.id, title: labels.title.trim(), tags: parseTags(labels.tags), metadata: metadata.value });
  };
  return (
    <Modal labelledBy={`${id}-title`} initialFocus={titleRef} onEscape={onClose} className="modal-wide">
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>Edit labels</h2>
        <p className="approval-memory">
          <LevelBadge level={memory.level} /> <code>{memory.shortId}</code> in {memory.namespace}
        </p>
        <label htmlFor={`${id}-t`}>Title</label>
        <input ref={titleRef} id={`${id}-t`} autoComplete="off" value={labels.title} onChange={(e) => labels.setTitle(e.target.value)} />
        <label htmlFor={`${id}-tags`}>Tags (separated by commas)</label>
        <input id={`${id}-tags`} autoComplete="off" value={labels.tags} onChange={(e) => labels.setTags(e.target.value)} />
        <MetadataEditor idPrefix={`${id}-m`} rows={labels.rows} onChange={labels.setRows} />
        {problem && (
          <p className="state state-error" role="alert">
            {problem}
          </p>
        )}
        {!problem && edit.error && <ErrorNotice error={edit.error} />}
        <div className="modal-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={labels.title.trim().length === 0 || edit.isPending}>
            {edit.isPending ? 'Saving…' : 'Save labels'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
