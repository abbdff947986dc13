// The security-key attempts main is running, kept current by its key:touch-status pushes (each
// push replaces that attempt in the cache, so "touch now" shows without a refetch).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { TouchAttemptDto } from '../../../shared/key-touch.contract.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

function upsert(list: readonly TouchAttemptDto[], attempt: TouchAttemptDto): TouchAttemptDto[] {
  const rest = list.filter((a) => a.attemptId !== attempt.attemptId);
  return [...rest, attempt].toSorted((a, b) => a.startedAt - b.startedAt);
}

export function useKeyTouchAttempts(): readonly TouchAttemptDto[] {
  const client = useQueryClient();
  useEffect(
    () =>
      vault().onKeyTouchStatus((attempt) => {
        client.setQueryData<TouchAttemptDto[]>(queryKeys.keyTouch, (old) => upsert(old ?? [], attempt));
      }),
    [client],
  );
  const query = useQuery({ queryKey: queryKeys.keyTouch, queryFn: () => unwrap(vault().keyTouchAttempts()) });
  return query.data ?? [];
}
