// Agents and their tokens: who may reach the vault, how high, where, and until when.
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { AgentDto } from '../../../shared/agents.contract.js';
import { Button } from '../../components/button.js';
import { LevelBadge } from '../../components/level-badge.js';
import { QueryTable } from '../../components/query-table.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { formatTime } from '../../lib/format.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { CreateAgentDialog } from './create-agent-dialog.js';
import { RevokeAgentDialog } from './revoke-agent-dialog.js';

const STATE_LABEL: Record<AgentDto['state'], string> = { active: 'Active', revoked: 'Revoked', expired: 'Expired', suspended: 'Suspended' };

export function AgentsScreen() {
  const id = useId();
  const agents = useQuery({ queryKey: queryKeys.agents, queryFn: () => unwrap(vault().listAgents()) });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<AgentDto | null>(null);
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <div className="section-header">
        <h2 id={`${id}-h`}>Agents</h2>
        <Button variant="primary" onClick={() => setCreating(true)}>
          New agent…
        </Button>
      </div>
      <p className="muted">
        Each agent connects with its own token. Revoking a token stops that agent on its next call, ends the requests it has waiting for you
        and removes its grants.
      </p>
      <QueryTable
        query={agents}
        loadingLabel="Loading agents…"
        empty="No agents yet. Create one to give an AI agent its token."
        caption="Agents with their scope, state and last use"
        columns={['Name', 'Max level', 'Namespaces', 'State', 'Last used']}
        row={(a) => <AgentRow key={a.id} agent={a} onRevoke={() => setRevoking(a)} />}
      />
      {creating && <CreateAgentDialog onClose={() => setCreating(false)} />}
      {revoking && <RevokeAgentDialog agent={revoking} onClose={() => setRevoking(null)} />}
    </section>
  );
}

function AgentRow({ agent, onRevoke }: { agent: AgentDto; onRevoke: () => void }) {
  return (
    <tr data-testid="agent-row">
      <th scope="row">
        <span className="agent-name">{agent.name}</span>
        {agent.expiresAt && (
          <span className="muted agent-expiry">{`${agent.state === 'expired' ? 'Expired' : 'Expires'} ${formatTime(agent.expiresAt)}`}</span>
        )}
      </th>
      <td>
        <LevelBadge level={agent.maxLevel} />
      </td>
      <td>{agent.namespaces ? agent.namespaces.join(', ') : <span className="muted">All</span>}</td>
      <td>
        <span className={`agent-state agent-state-${agent.state}`}>{STATE_LABEL[agent.state]}</span>
        {/* Written by the vault's anomaly rule, not by the agent: the owner reads why before lifting it. */}
        {agent.state === 'suspended' && agent.suspendedReason && (
          <span className="muted agent-suspended-reason">{agent.suspendedReason}</span>
        )}
      </td>
      <td>{agent.lastUsedAt ? formatTime(agent.lastUsedAt) : <span className="muted">Never</span>}</td>
      <td>
        {agent.state === 'suspended' && <ResumeAgentButton agent={agent} />}
        {agent.state !== 'revoked' && (
          <Button variant="danger" onClick={onRevoke} aria-label={`Revoke ${agent.name}…`}>
            Revoke…
          </Button>
        )}
      </td>
    </tr>
  );
}

/** A suspended agent (refusal burst) stays stopped until the owner lifts it here. */
function ResumeAgentButton({ agent }: { agent: AgentDto }) {
  const resume = useAuditedMutation(queryKeys.agents, { mutationFn: () => unwrap(vault().resumeAgent({ agentId: agent.id })) });
  return (
    <Button onClick={() => resume.mutate()} disabled={resume.isPending} aria-label={`Lift the suspension of ${agent.name}`}>
      Lift suspension
    </Button>
  );
}
