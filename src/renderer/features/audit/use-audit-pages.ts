// Paged audit listing: each page asks main for `limit` events after the last seq it has.
import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditFilterDto } from '../../../shared/audit.contract.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

export const AUDIT_PAGE_SIZE = 100;

export function useAuditPages(filter: AuditFilterDto) {
  return useInfiniteQuery({
    queryKey: queryKeys.auditPages(filter),
    initialPageParam: -1,
    queryFn: ({ pageParam }) => unwrap(vault().listAudit({ filter, afterSeq: pageParam, limit: AUDIT_PAGE_SIZE })),
    getNextPageParam: (last) => last.nextAfterSeq ?? undefined,
  });
}
