// Live updates: main pushes which parts of the vault changed (live.contract.ts) and this re-reads
// the matching queries, so an agent's store shows in the open list without a tab switch. Queries
// that are not on screen are only marked stale and load fresh when shown.
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { VaultTopic } from '../../shared/live.contract.js';
import { vault } from './bridge.js';
import { queryKeys } from './query-keys.js';

/** The query-key prefixes each topic invalidates. A screen with its own keys adds them to its topic's row. */
export const TOPIC_QUERY_KEYS: Readonly<Record<VaultTopic, readonly QueryKey[]>> = {
  memories: [queryKeys.memoriesAll, queryKeys.status],
  audit: [queryKeys.auditAll, queryKeys.status, queryKeys.inbox],
  agents: [queryKeys.agents],
  approvals: [queryKeys.approvals],
  grants: [queryKeys.grants],
  lockdown: [queryKeys.lockdown, queryKeys.status],
  integrity: [queryKeys.auditVerify],
  settings: [queryKeys.settings],
  'security-keys': [queryKeys.securityKeys],
  // A dead-man touch also moves a key's counter and last use.
  recovery: [queryKeys.deadman, queryKeys.escrows, queryKeys.backups, queryKeys.securityKeys],
};

export function queryKeysOf(topics: readonly VaultTopic[]): QueryKey[] {
  const seen = new Map<string, QueryKey>();
  for (const t of topics) for (const k of TOPIC_QUERY_KEYS[t]) seen.set(JSON.stringify(k), k);
  return [...seen.values()];
}

/** Subscribe once for the whole app (main.tsx). */
export function useLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      vault().onVaultChanged((topics) => {
        for (const queryKey of queryKeysOf(topics)) void client.invalidateQueries({ queryKey });
      }),
    [client],
  );
}

export function LiveUpdates() {
  useLiveUpdates();
  return null;
}
