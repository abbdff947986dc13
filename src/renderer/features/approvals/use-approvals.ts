import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

/** Pending requests, oldest first; refetched whenever main reports a change. */
export function usePendingApprovals() {
  const client = useQueryClient();
  useEffect(
    () =>
      vault().onApprovalsChanged(() => {
        void client.invalidateQueries({ queryKey: queryKeys.approvals });
      }),
    [client],
  );
  return useQuery({
    queryKey: queryKeys.approvals,
    queryFn: async () => (await unwrap(vault().listApprovals())).toSorted((a, b) => a.createdAt - b.createdAt),
  });
}
