// Shows the oldest pending request as a dialog; the others wait their turn behind it. The dialog
// is remounted for every request it shows (keyed by the request's digest), so it re-arms and
// moves focus back to Deny whenever the head changes — decided, expired or cancelled — and it
// says so when it switched without closing. The decision carries the digest of the DTO displayed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { ApprovalDialog } from './approval-dialog.js';
import { usePendingApprovals } from './use-approvals.js';

interface Head {
  readonly digest: string | null;
  /** The head replaced another one while the dialog stayed open. */
  readonly switched: boolean;
}

export function ApprovalQueue() {
  const client = useQueryClient();
  const pending = usePendingApprovals();
  const decide = useMutation({
    mutationFn: (d: { requestId: string; digest: string; approve: boolean; grantMinutes: number }) =>
      unwrap(
        vault().decideApproval({
          requestId: d.requestId,
          approve: d.approve,
          ...(d.approve && d.grantMinutes > 0 ? { grantMinutes: d.grantMinutes } : {}),
          digest: d.digest,
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.approvals }),
  });
  const list = pending.data ?? [];
  const first = list[0];
  // Derived during render (not in an effect) so the first frame of a new head already shows it.
  const [head, setHead] = useState<Head>({ digest: null, switched: false });
  const digest = first?.digest ?? null;
  if (head.digest !== digest) setHead({ digest, switched: head.digest !== null && digest !== null });
  if (!first) return null;
  return (
    <ApprovalDialog
      key={first.digest}
      request={first}
      position={1}
      total={list.length}
      // Busy only for the request being decided: the next dialog must mount enabled, or its Deny
      // (disabled at mount) could not take the initial focus.
      busy={decide.isPending && decide.variables?.requestId === first.requestId}
      switched={head.digest === digest && head.switched}
      error={decide.variables?.requestId === first.requestId ? decide.error : null}
      onDecide={(approve, grantMinutes) => decide.mutate({ requestId: first.requestId, digest: first.digest, approve, grantMinutes })}
    />
  );
}
