import { useState } from 'react';
import type { MemorySummaryDto } from '../../../shared/memory.dto.js';
import { Button } from '../../components/button.js';
import { LevelBadge } from '../../components/level-badge.js';
import { formatTime } from '../../lib/format.js';
import { EditLabelsDialog } from './edit-labels-dialog.js';
import { RevealPanel } from './reveal-panel.js';
import { TombstoneDialog } from './tombstone-dialog.js';

export function MemoryDetail({ memory }: { memory: MemorySummaryDto }) {
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const metadata = Object.entries(memory.metadata);
  return (
    <article className="card detail" aria-labelledby="memory-detail-title">
      <h2 id="memory-detail-title">{memory.title}</h2>
      <p>
        <LevelBadge level={memory.level} /> {memory.tombstoned && <span className="tombstoned">Tombstoned</span>}
      </p>
      <dl className="meta-grid">
        <dt>Short id</dt>
        <dd>
          <code>{memory.shortId}</code>
        </dd>
        <dt>Namespace</dt>
        <dd>{memory.namespace}</dd>
        <dt>Tags</dt>
        <dd>{memory.tags.length ? memory.tags.join(', ') : '—'}</dd>
        <dt>Created</dt>
        <dd>
          {formatTime(memory.createdAt)} by {memory.createdBy}
        </dd>
        <dt>Size</dt>
        <dd>{memory.size} bytes</dd>
        {memory.expiresAt && (
          <>
            <dt>Expires</dt>
            <dd>{formatTime(memory.expiresAt)}</dd>
          </>
        )}
        {metadata.map(([k, v]) => (
          <MetaRow key={k} name={k} value={String(v)} />
        ))}
      </dl>
      {!memory.tombstoned && (
        <>
          <RevealPanel key={memory.id} memory={memory} />
          <div className="detail-actions">
            <Button onClick={() => setEditing(true)}>Edit labels…</Button>
            <Button variant="danger" onClick={() => setConfirming(true)}>
              Tombstone…
            </Button>
          </div>
        </>
      )}
      {editing && <EditLabelsDialog key={memory.id} memory={memory} onClose={() => setEditing(false)} />}
      {confirming && <TombstoneDialog memory={memory} onClose={() => setConfirming(false)} />}
    </article>
  );
}

function MetaRow({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  );
}
