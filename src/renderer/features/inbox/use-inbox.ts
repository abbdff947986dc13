// Recent request outcomes, re-read whenever main reports an audit change (live-updates.ts maps
// the 'audit' and 'approvals' topics to this key) or a request appears or ends.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

export function useInbox() {
  const client = useQueryClient();
  useEffect(
    () =>
      vault().onApprovalsChanged(() => {
        void client.invalidateQueries({ queryKey: queryKeys.inbox });
      }),
    [client],
  );
  return useQuery({ queryKey: queryKeys.inbox, queryFn: () => unwrap(vault().listInbox({ limit: 100 })) });
}
