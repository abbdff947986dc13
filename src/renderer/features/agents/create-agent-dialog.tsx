// Create an agent, then show its token exactly once. Invariant: the token lives only in this
// dialog's state — the mutation is kept out of the cache (gcTime 0, reset on close), the agents
// query is refetched from main (which never returns tokens), and closing drops the token.
import { useId, useRef, useState, type FormEvent } from 'react';
import type { CreateAgentInput, CreatedAgentDto } from '../../../shared/agents.contract.js';
import { LEVEL_NAMES } from '../../../shared/levels.js';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { TokenDialog } from './token-dialog.js';

const EXPIRY_CHOICES = [
  { days: 0, label: 'Never' },
  { days: 1, label: 'After 1 day' },
  { days: 7, label: 'After 7 days' },
  { days: 30, label: 'After 30 days' },
  { days: 90, label: 'After 90 days' },
  { days: 365, label: 'After 1 year' },
] as const;

function parseNamespaces(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((ns) => ns.length > 0))];
}

type Level = CreateAgentInput['maxLevel'];

export function CreateAgentDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [maxLevel, setMaxLevel] = useState<Level>(1);
  const [namespaces, setNamespaces] = useState('');
  const [expiresInDays, setExpiresInDays] = useState(0);
  const [created, setCreated] = useState<CreatedAgentDto | null>(null);
  const create = useAuditedMutation(queryKeys.agents, {
    // The reply carries the token: nothing of it may linger in the mutation cache.
    gcTime: 0,
    mutationFn: (input: CreateAgentInput) => unwrap(vault().createAgent(input)),
    onSuccess: (result) => setCreated(result),
  });
  const close = () => {
    setCreated(null);
    create.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = parseNamespaces(namespaces);
    create.mutate({
      name: name.trim(),
      maxLevel,
      ...(list.length > 0 ? { namespaces: list } : {}),
      ...(expiresInDays > 0 ? { expiresInDays } : {}),
    });
  };

  if (created) return <TokenDialog created={created} onClose={close} />;
  return (
    <Modal labelledBy={`${id}-title`} initialFocus={nameRef} onEscape={close}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>New agent</h2>
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          ref={nameRef}
          id={`${id}-name`}
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          aria-describedby={`${id}-name-hint`}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <p id={`${id}-name-hint`} className="hint">
          Letters, digits, _ . and - (up to 64).
        </p>
        <label htmlFor={`${id}-level`}>Maximum level</label>
        <select
          id={`${id}-level`}
          aria-describedby={`${id}-level-hint`}
          value={maxLevel}
          onChange={(e) => setMaxLevel(toLevel(e.target.value))}
        >
          {LEVEL_NAMES.map((levelName, level) => (
            <option key={levelName} value={level}>{`L${level} · ${levelName}`}</option>
          ))}
        </select>
        <p id={`${id}-level-hint`} className="hint">
          The highest level this agent may store or recall. Level 3 and above still need your approval for each recall.
        </p>
        <label htmlFor={`${id}-ns`}>Namespaces (optional)</label>
        <input
          id={`${id}-ns`}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-ns-hint`}
          value={namespaces}
          onChange={(e) => setNamespaces(e.target.value)}
        />
        <p id={`${id}-ns-hint`} className="hint">
          Separate with commas. Leave empty to allow every namespace.
        </p>
        <label htmlFor={`${id}-exp`}>Token expires</label>
        <select id={`${id}-exp`} value={expiresInDays} onChange={(e) => setExpiresInDays(Number(e.target.value))}>
          {EXPIRY_CHOICES.map((c) => (
            <option key={c.days} value={c.days}>
              {c.label}
            </option>
          ))}
        </select>
        {create.error && <ErrorNotice error={create.error} />}
        <div className="modal-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={name.trim().length === 0 || create.isPending}>
            {create.isPending ? 'Creating…' : 'Create agent'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

function toLevel(value: string): Level {
  const n = Number(value);
  return n === 0 || n === 1 || n === 2 || n === 3 || n === 4 || n === 5 ? n : 0;
}
