// The virtualized event list: only visible rows are in the DOM; the next page is fetched when
// the last loaded row scrolls into view.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { AuditEventDto } from '../../../shared/audit.contract.js';
import { formatShortTime } from '../../lib/format.js';

const ROW_HEIGHT = 58;

/** The agent's name when main resolved it, else "type:id" (the owner, the system, a deleted agent). */
export function actorLabel(e: AuditEventDto): string {
  return e.actorName ? `${e.actorName} (${e.actor.type})` : `${e.actor.type}:${e.actor.id}`;
}

interface Props {
  readonly events: readonly AuditEventDto[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly onLoadMore: () => void;
  readonly selectedSeq: number | null;
  readonly onSelect: (seq: number) => void;
}

export function AuditList({ events, hasMore, loadingMore, onLoadMore, selectedSeq, onSelect }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: events.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = v.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= events.length - 1) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, events.length, onLoadMore]);

  return (
    <div ref={scroller} className="audit-scroller" tabIndex={0} role="region" aria-label="Audit events">
      <ul className="audit-rows" style={{ height: v.getTotalSize() }}>
        {items.map((item) => {
          const e = events[item.index];
          return (
            <li key={item.key} className="audit-row-slot" style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
              {e ? (
                <button
                  type="button"
                  className={`row audit-row${e.seq === selectedSeq ? ' row-selected' : ''}`}
                  aria-pressed={e.seq === selectedSeq}
                  onClick={() => onSelect(e.seq)}
                >
                  <span className="audit-line">
                    <span className="seq">#{e.seq}</span>
                    <span className="kind">{e.kind}</span>
                    <span className="muted time">{formatShortTime(e.ts)}</span>
                  </span>
                  <span className="audit-line">
                    <span className={`outcome outcome-${e.outcome}`}>{e.code ?? e.outcome}</span>
                    <span className="muted who" title={`${e.actor.type}:${e.actor.id}`}>
                      {actorLabel(e)}
                    </span>
                    {e.memory && (
                      <span className="what" title={e.memory.id}>
                        {e.memoryTitle ?? e.memory.id.slice(0, 8)}
                      </span>
                    )}
                  </span>
                </button>
              ) : (
                <span className="state">Loading more…</span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
