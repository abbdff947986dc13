import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

/** Vault status, refreshed when main reports that the vault locked itself (idle, screen lock). */
export function useVaultStatus() {
  const client = useQueryClient();
  useEffect(() => vault().onVaultStateChanged(() => void client.invalidateQueries()), [client]);
  return useQuery({ queryKey: queryKeys.status, queryFn: () => unwrap(vault().status()) });
}
