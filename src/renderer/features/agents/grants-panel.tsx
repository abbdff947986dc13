// Live level-3 grants: which agent may recall which memory without asking, until when. The
// owner can end any of them at once (audited as grant.revoke). Grants also end on their own
// when they expire, when the agent is revoked, the memory tombstoned, or lockdown comes on.
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { GrantDto } from '../../../shared/grants.contract.js';
import { neutraliseLine } from '../../../shared/agent-text.js';
import { commandLineText } from '../../../shared/command-line-text.js';
import { Button } from '../../components/button.js';
import { LevelBadge } from '../../components/level-badge.js';
import { QueryTable } from '../../components/query-table.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { formatTime } from '../../lib/format.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';

/** Grants expire by themselves and end on revoke/tombstone/lockdown elsewhere: refetch now and then. */
const REFRESH_MS = 5_000;

export function GrantsPanel() {
  const id = useId();
  const grants = useQuery({ queryKey: queryKeys.grants, queryFn: () => unwrap(vault().listGrants()), refetchInterval: REFRESH_MS });
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="grants-panel">
      <h2 id={`${id}-h`}>Active grants</h2>
      <p className="muted">
        A grant lets one agent recall one level-3 memory without asking again, for the minutes you chose when approving.
      </p>
      <QueryTable
        query={grants}
        loadingLabel="Loading grants…"
        empty="No active grants."
        caption="Active level-3 grants"
        columns={['Agent', 'Memory', 'Level', 'Covers', 'Until']}
        row={(g) => <GrantRow key={g.grantId} grant={g} />}
      />
    </section>
  );
}

function GrantRow({ grant }: { grant: GrantDto }) {
  const revoke = useAuditedMutation(queryKeys.grants, { mutationFn: () => unwrap(vault().revokeGrant({ grantId: grant.grantId })) });
  return (
    <tr data-testid="grant-row">
      <th scope="row">
        <span className="agent-name">{grant.holderName}</span>
      </th>
      <td>
        <code>{grant.memoryId.slice(0, 8)}</code>
      </td>
      <td>
        <LevelBadge level={grant.level} />
      </td>
      <td data-testid="grant-covers">
        {grant.useCommand ? (
          <>
            use only, to run <code>{neutraliseLine(commandLineText(grant.useCommand.commandLine))}</code>
          </>
        ) : (
          'recall'
        )}
      </td>
      <td>{formatTime(grant.expiresAt)}</td>
      <td>
        {revoke.error && <ErrorNotice error={revoke.error} />}
        <Button
          variant="danger"
          onClick={() => revoke.mutate()}
          disabled={revoke.isPending}
          aria-label={`Revoke the grant of ${grant.holderName}`}
        >
          Revoke
        </Button>
      </td>
    </tr>
  );
}
