// An owner action changes vault state and appends its audit leaf in one transaction (in main),
// so once it succeeds two views are stale: the one it changed and the audit log. This hook
// invalidates both, in one place, so no screen can refresh its list and forget the log.
import { useMutation, useQueryClient, type QueryKey, type UseMutationOptions } from '@tanstack/react-query';
import { queryKeys } from './query-keys.js';

type AuditedMutationOptions<TData, TVariables> = Omit<UseMutationOptions<TData, Error, TVariables>, 'onSuccess'> & {
  /** Runs after both invalidations are requested. */
  readonly onSuccess?: (data: TData) => void;
};

export function useAuditedMutation<TData, TVariables = void>(changed: QueryKey, options: AuditedMutationOptions<TData, TVariables>) {
  const client = useQueryClient();
  const { onSuccess, ...rest } = options;
  return useMutation<TData, Error, TVariables>({
    ...rest,
    onSuccess: (data) => {
      void client.invalidateQueries({ queryKey: changed });
      void client.invalidateQueries({ queryKey: queryKeys.auditAll });
      onSuccess?.(data);
    },
  });
}
