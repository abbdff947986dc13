// Audit browser: integrity verdict, filters, a virtualized paged list, detail and export.
import { useCallback, useId, useMemo, useState } from 'react';
import type { AuditFilterDto, AuditOrder } from '../../../shared/audit.contract.js';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { AuditEventDetail } from './audit-event-detail.js';
import { AuditFilters } from './audit-filters.js';
import { AuditList } from './audit-list.js';
import { ExportButton } from './export-button.js';
import { IntegrityBanner } from './integrity-banner.js';
import { useAuditPages } from './use-audit-pages.js';

export function AuditBrowser() {
  const id = useId();
  const [filter, setFilter] = useState<AuditFilterDto>({});
  const [order, setOrder] = useState<AuditOrder>('newest');
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  const pages = useAuditPages(filter, order);
  const events = useMemo(() => pages.data?.pages.flatMap((p) => p.events) ?? [], [pages.data]);
  const total = pages.data?.pages.at(-1)?.total ?? 0;
  const selected = events.find((e) => e.seq === selectedSeq) ?? null;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  return (
    <div className="audit">
      <IntegrityBanner />
      <div className="audit-toolbar">
        <AuditFilters value={filter} onChange={setFilter} />
        <ExportButton filter={filter} />
      </div>
      <div className="split">
        <section className="card list-pane" aria-labelledby="audit-h">
          <div className="section-header">
            <h2 id="audit-h">Audit log</h2>
            <span className="order-pick">
              <label htmlFor={`${id}-order`}>Order</label>
              <select id={`${id}-order`} value={order} onChange={(e) => setOrder(e.target.value === 'oldest' ? 'oldest' : 'newest')}>
                <option value="newest">Newest first</option>
                <option value="oldest">Oldest first</option>
              </select>
            </span>
          </div>
          <p className="muted">{`${events.length} shown of ${total} events in the log`}</p>
          {pages.isPending && <Loading />}
          {pages.error && <ErrorNotice error={pages.error} />}
          {pages.data && events.length === 0 && <EmptyState>No event matches these filters.</EmptyState>}
          {events.length > 0 && (
            <AuditList
              events={events}
              hasMore={hasNextPage}
              loadingMore={isFetchingNextPage}
              onLoadMore={loadMore}
              selectedSeq={selectedSeq}
              onSelect={setSelectedSeq}
            />
          )}
        </section>
        {selected ? <AuditEventDetail event={selected} /> : <EmptyState>Select an event to see its details.</EmptyState>}
      </div>
    </div>
  );
}
