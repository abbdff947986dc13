// Memory browser: metadata search (content matches only for levels 0–2, by design), a list, and
// "New memory…" for the owner's own stores.
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { Button } from '../../components/button.js';
import { LevelBadge } from '../../components/level-badge.js';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { MemoryDetail } from './memory-detail.js';
import { StoreMemoryDialog } from './store-memory-dialog.js';

export function MemoryBrowser() {
  const id = useId();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query.trim());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [storing, setStoring] = useState(false);
  const memories = useQuery({
    queryKey: queryKeys.memories(deferred),
    queryFn: () =>
      unwrap(
        deferred ? vault().searchMemories({ query: deferred, limit: 200 }) : vault().listMemories({ limit: 500, includeTombstoned: true }),
      ),
  });
  const selected = memories.data?.find((m) => m.id === selectedId) ?? null;
  return (
    <div className="split">
      <section className="card list-pane" aria-labelledby={`${id}-h`}>
        <div className="list-pane-header">
          <h2 id={`${id}-h`}>Memories</h2>
          <Button variant="primary" onClick={() => setStoring(true)}>
            New memory…
          </Button>
        </div>
        <label htmlFor={`${id}-q`}>Search titles, tags and metadata</label>
        <input id={`${id}-q`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        {memories.isPending && <Loading />}
        {memories.error && <ErrorNotice error={memories.error} />}
        {memories.data?.length === 0 && (
          <EmptyState>
            {deferred ? 'No memory matches.' : 'No memories yet. Agents store them through the agent API, or choose New memory.'}
          </EmptyState>
        )}
        <ul className="memory-list">
          {memories.data?.map((m) => (
            <li key={m.id}>
              <button
                type="button"
                className={`row${m.id === selectedId ? ' row-selected' : ''}`}
                aria-pressed={m.id === selectedId}
                onClick={() => setSelectedId(m.id)}
              >
                <LevelBadge level={m.level} />
                <span className="row-title">{m.title}</span>
                <code className="muted">{m.shortId}</code>
                {m.tombstoned && <span className="tombstoned">Tombstoned</span>}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {selected ? <MemoryDetail memory={selected} /> : <EmptyState>Select a memory to see its metadata.</EmptyState>}
      {storing && (
        <StoreMemoryDialog
          onClose={() => setStoring(false)}
          onStored={(m) => {
            setStoring(false);
            setQuery('');
            setSelectedId(m.id);
          }}
        />
      )}
    </div>
  );
}
