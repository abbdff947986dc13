// Paged audit listing. Newest first (the default) pages backwards with `beforeSeq`; oldest first
// pages forwards with `afterSeq`. Either way each page asks main for `limit` events.
import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditFilterDto, AuditOrder, AuditPageDto } from '../../../shared/audit.contract.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

export const AUDIT_PAGE_SIZE = 100;

const FIRST_PAGE: number | null = null;

function cursorArgs(order: AuditOrder, cursor: number | null): { afterSeq?: number; beforeSeq?: number } {
  if (cursor === null) return {};
  return order === 'newest' ? { beforeSeq: cursor } : { afterSeq: cursor };
}

function nextCursor(order: AuditOrder, page: AuditPageDto): number | undefined {
  return (order === 'newest' ? page.nextBeforeSeq : page.nextAfterSeq) ?? undefined;
}

export function useAuditPages(filter: AuditFilterDto, order: AuditOrder) {
  return useInfiniteQuery({
    queryKey: queryKeys.auditPages(filter, order),
    initialPageParam: FIRST_PAGE,
    queryFn: ({ pageParam }) => unwrap(vault().listAudit({ filter, order, ...cursorArgs(order, pageParam), limit: AUDIT_PAGE_SIZE })),
    getNextPageParam: (last) => nextCursor(order, last),
  });
}
