import { useId } from 'react';
import type { AuditFilterDto } from '../../../shared/audit.contract.js';
import { AUDIT_EVENT_KINDS } from '../../../shared/audit-event-kinds.js';

// The outcome a <select> may hold, narrowed by lookup rather than asserted (the renderer bundle
// stays free of zod, so no schema parse here).
const OUTCOMES = ['ok', 'refused', 'error'] as const satisfies readonly NonNullable<AuditFilterDto['outcome']>[];
const outcomeOf = (value: string): AuditFilterDto['outcome'] => OUTCOMES.find((o) => o === value);

// Every kind the log can hold, grouped by what it is about ("memory", "agent", …).
const KIND_GROUPS = AUDIT_EVENT_KINDS.reduce<Map<string, string[]>>((groups, kind) => {
  const group = kind.split('.')[0] ?? kind;
  groups.set(group, [...(groups.get(group) ?? []), kind]);
  return groups;
}, new Map());

// <input type="datetime-local"> speaks local minutes ("2026-03-01T10:00"); the filter speaks epoch
// ms. "To" covers its whole minute, so from = to = one minute shows that minute's events.
const MINUTE_MS = 60_000;
const pad = (n: number) => String(n).padStart(2, '0');
function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function fromLocalInput(value: string, endOfMinute: boolean): number | undefined {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < 0) return undefined;
  return endOfMinute ? ms + MINUTE_MS - 1 : ms;
}

export function AuditFilters({ value, onChange }: { value: AuditFilterDto; onChange: (f: AuditFilterDto) => void }) {
  const id = useId();
  const set = (patch: Partial<AuditFilterDto>) => {
    const next: AuditFilterDto = { ...value, ...patch };
    for (const k of Object.keys(next) as (keyof AuditFilterDto)[]) if (next[k] === undefined || next[k] === '') delete next[k];
    onChange(next);
  };
  return (
    <fieldset className="filters">
      <legend>Filters</legend>
      <label htmlFor={`${id}-kind`}>Event</label>
      <select id={`${id}-kind`} value={value.kind ?? ''} onChange={(e) => set({ kind: e.target.value || undefined })}>
        <option value="">All events</option>
        {[...KIND_GROUPS].map(([group, kinds]) => (
          <optgroup key={group} label={group}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <label htmlFor={`${id}-outcome`}>Outcome</label>
      <select id={`${id}-outcome`} value={value.outcome ?? ''} onChange={(e) => set({ outcome: outcomeOf(e.target.value) })}>
        <option value="">Any outcome</option>
        <option value="ok">ok</option>
        <option value="refused">refused</option>
        <option value="error">error</option>
      </select>
      <label htmlFor={`${id}-actor`}>Actor id</label>
      <input
        id={`${id}-actor`}
        value={value.actorId ?? ''}
        placeholder="agent id or desktop"
        onChange={(e) => set({ actorId: e.target.value.trim() || undefined })}
      />
      <label htmlFor={`${id}-from`}>From</label>
      <input
        id={`${id}-from`}
        type="datetime-local"
        value={toLocalInput(value.fromTs)}
        onChange={(e) => set({ fromTs: fromLocalInput(e.target.value, false) })}
      />
      <label htmlFor={`${id}-to`}>To</label>
      <input
        id={`${id}-to`}
        type="datetime-local"
        value={toLocalInput(value.toTs === undefined ? undefined : value.toTs - (MINUTE_MS - 1))}
        onChange={(e) => set({ toTs: fromLocalInput(e.target.value, true) })}
      />
    </fieldset>
  );
}
