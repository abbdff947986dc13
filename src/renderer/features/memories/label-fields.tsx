// Editors for a memory's labels, shared by "New memory" and "Edit labels": tags as one
// comma-separated field, metadata as key/value rows. A value the owner did not touch keeps its
// type (a number or true/false stored by an agent stays one); an edited value is text.
import { useState } from 'react';
import type { MemorySummaryDto } from '../../../shared/memory.dto.js';
import { Button } from '../../components/button.js';

type MetadataValue = MemorySummaryDto['metadata'][string];

export interface MetadataRow {
  readonly key: string;
  readonly text: string;
  /** The stored value this row started from (kept when its text is unchanged). */
  readonly original?: MetadataValue;
}

export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()))].filter((t) => t.length > 0);
}

export function rowsOf(metadata: MemorySummaryDto['metadata']): MetadataRow[] {
  return Object.entries(metadata).map(([key, value]) => ({ key, text: String(value), original: value }));
}

/** The metadata to send, or an error text (an empty or repeated key). */
export function metadataOf(rows: readonly MetadataRow[]): { value: Record<string, MetadataValue> } | { error: string } {
  const value: Record<string, MetadataValue> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key.length === 0 && row.text.length === 0) continue;
    if (key.length === 0) return { error: 'Every metadata value needs a key.' };
    if (Object.hasOwn(value, key)) return { error: `The metadata key "${key}" is given twice.` };
    value[key] = row.original !== undefined && String(row.original) === row.text ? row.original : row.text;
  }
  return { value };
}

export function MetadataEditor({
  idPrefix,
  rows,
  onChange,
}: {
  idPrefix: string;
  rows: MetadataRow[];
  onChange: (rows: MetadataRow[]) => void;
}) {
  const set = (i: number, patch: Partial<MetadataRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset>
      <legend>Metadata</legend>
      {rows.length === 0 && <p className="hint">No metadata.</p>}
      {rows.map((row, i) => (
        // Rows have no identity of their own: the index is the row.
        <div className="inline-fields metadata-row" key={i}>
          <label htmlFor={`${idPrefix}-k${i}`}>Key</label>
          <input
            id={`${idPrefix}-k${i}`}
            autoComplete="off"
            spellCheck={false}
            value={row.key}
            onChange={(e) => set(i, { key: e.target.value })}
          />
          <label htmlFor={`${idPrefix}-v${i}`}>Value</label>
          <input id={`${idPrefix}-v${i}`} autoComplete="off" value={row.text} onChange={(e) => set(i, { text: e.target.value })} />
          <Button aria-label={`Remove metadata ${row.key || `row ${i + 1}`}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </Button>
        </div>
      ))}
      <Button onClick={() => onChange([...rows, { key: '', text: '' }])}>Add metadata</Button>
    </fieldset>
  );
}

/** Local state for the label editors, seeded from a memory (edit) or empty (new). */
export function useLabelState(initial?: MemorySummaryDto) {
  const [title, setTitle] = useState(initial?.title ?? '');
  const [tags, setTags] = useState(initial ? initial.tags.join(', ') : '');
  const [rows, setRows] = useState<MetadataRow[]>(initial ? rowsOf(initial.metadata) : []);
  return { title, setTitle, tags, setTags, rows, setRows };
}
