// Shows the oldest pending request as a dialog; the others wait their turn behind it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { ApprovalDialog } from './approval-dialog.js';
import { usePendingApprovals } from './use-approvals.js';

export function ApprovalQueue() {
  const client = useQueryClient();
  const pending = usePendingApprovals();
  const decide = useMutation({
    mutationFn: (d: { requestId: string; digest: string; approve: boolean; grantMinutes: number }) =>
      unwrap(vault().decideApproval({ requestId: d.requestId, approve: d.approve, ...(d.approve && d.grantMinutes > 0 ? { grantMinutes: d.grantMinutes } : {}), digest: d.digest })),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.approvals }),
  });
  const list = pending.data ?? [];
  const first = list[0];
  if (!first) return null;
  return (
    <ApprovalDialog
      key={first.requestId}
      request={first}
      position={1}
      total={list.length}
      busy={decide.isPending}
      error={decide.variables?.requestId === first.requestId ? decide.error : null}
      onDecide={(approve, grantMinutes) => decide.mutate({ requestId: first.requestId, digest: first.digest, approve, grantMinutes })}
    />
  );
}
