// "New memory": the owner stores a memory at any level, with namespace, tags, metadata, a recall
// cooldown and (level 0 only) a time to live. Main stores it through the engine's audited store
// as the owner; the content leaves this dialog's state when it closes.
import { useId, useRef, useState, type FormEvent } from 'react';
import { LEVEL_NAMES } from '../../../shared/levels.js';
import type { MemorySummaryDto } from '../../../shared/memory.dto.js';
import type { StoreMemoryRequest } from '../../../shared/memory-write.contract.js';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { MetadataEditor, metadataOf, parseTags, useLabelState } from './label-fields.js';

type Level = StoreMemoryRequest['level'];

function toLevel(value: string): Level {
  const n = Number(value);
  return n === 0 || n === 1 || n === 2 || n === 3 || n === 4 || n === 5 ? n : 0;
}

/** Whole seconds from a text field; '' means "not given". */
function secondsOf(text: string): number | undefined | null {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

const LEVEL_HINTS: Record<Level, string> = {
  0: 'Ephemeral: deleted after its time to live (default 24 hours).',
  1: 'Agents with access recall it without asking you.',
  2: 'Agents with access recall it without asking you; content is searchable.',
  3: 'Each agent recall needs your approval; content is not searchable.',
  4: 'Approval, and an offline or air-gapped environment; sealed to the TPM where there is one.',
  5: 'All of level 4, and a touch of your security key for every recall (and now, to store it).',
};

export function StoreMemoryDialog({ onClose, onStored }: { onClose: () => void; onStored: (m: MemorySummaryDto) => void }) {
  const id = useId();
  const titleRef = useRef<HTMLInputElement>(null);
  const labels = useLabelState();
  const [level, setLevel] = useState<Level>(1);
  const [namespace, setNamespace] = useState('default');
  const [cooldown, setCooldown] = useState('');
  const [ttl, setTtl] = useState('');
  const [content, setContent] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const store = useAuditedMutation(queryKeys.memoriesAll, {
    mutationFn: (req: StoreMemoryRequest) => unwrap(vault().storeMemory(req)),
    onSuccess: (m) => {
      setContent('');
      onStored(m);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const metadata = metadataOf(labels.rows);
    const cooldownSeconds = secondsOf(cooldown);
    const ttlSeconds = level === 0 ? secondsOf(ttl) : undefined;
    if ('error' in metadata) return setProblem(metadata.error);
    if (cooldownSeconds === null) return setProblem('The cooldown is a whole number of seconds.');
    if (ttlSeconds === null || ttlSeconds === 0) return setProblem('The time to live is a whole number of seconds, at least 1.');
    setProblem(null);
    const tags = parseTags(labels.tags);
    store.mutate({
      content,
      level,
      title: labels.title.trim(),
      namespace: namespace.trim(),
      ...(tags.length > 0 ? { tags } : {}),
      ...(Object.keys(metadata.value).length > 0 ? { metadata: metadata.value } : {}),
      ...(cooldownSeconds !== undefined ? { cooldownSeconds } : {}),
      ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
    });
  };
  return (
    <Modal labelledBy={`${id}-title`} initialFocus={titleRef} onEscape={onClose} className="modal-wide">
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>New memory</h2>
        <label htmlFor={`${id}-t`}>Title</label>
        <input ref={titleRef} id={`${id}-t`} autoComplete="off" value={labels.title} onChange={(e) => labels.setTitle(e.target.value)} />
        <div className="inline-fields">
          <label htmlFor={`${id}-level`}>Level</label>
          <select
            id={`${id}-level`}
            aria-describedby={`${id}-level-hint`}
            value={level}
            onChange={(e) => setLevel(toLevel(e.target.value))}
          >
            {LEVEL_NAMES.map((name, l) => (
              <option key={name} value={l}>{`L${l} · ${name}`}</option>
            ))}
          </select>
          <label htmlFor={`${id}-ns`}>Namespace</label>
          <input
            id={`${id}-ns`}
            className="wide"
            autoComplete="off"
            spellCheck={false}
            value={namespace}
            onChange={(e) => setNamespace(e.target.value)}
          />
        </div>
        <p id={`${id}-level-hint`} className="hint">
          {LEVEL_HINTS[level]}
        </p>
        <label htmlFor={`${id}-tags`}>Tags (optional, separated by commas)</label>
        <input id={`${id}-tags`} autoComplete="off" value={labels.tags} onChange={(e) => labels.setTags(e.target.value)} />
        <MetadataEditor idPrefix={`${id}-m`} rows={labels.rows} onChange={labels.setRows} />
        <div className="inline-fields">
          <label htmlFor={`${id}-cd`}>Recall cooldown (seconds)</label>
          <input id={`${id}-cd`} inputMode="numeric" value={cooldown} onChange={(e) => setCooldown(e.target.value)} placeholder="0" />
          {level === 0 && (
            <>
              <label htmlFor={`${id}-ttl`}>Time to live (seconds)</label>
              <input id={`${id}-ttl`} inputMode="numeric" value={ttl} onChange={(e) => setTtl(e.target.value)} placeholder="86400" />
            </>
          )}
        </div>
        <label htmlFor={`${id}-c`}>Content</label>
        <textarea id={`${id}-c`} rows={6} spellCheck={false} value={content} onChange={(e) => setContent(e.target.value)} />
        {problem && (
          <p className="state state-error" role="alert">
            {problem}
          </p>
        )}
        {!problem && store.error && <ErrorNotice error={store.error} />}
        <div className="modal-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={labels.title.trim().length === 0 || store.isPending}>
            {store.isPending ? 'Storing…' : 'Store memory'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
