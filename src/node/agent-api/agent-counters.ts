// Per-agent call counters for `vault.health`. Invariant: an agent reads only counters of its own
// calls — never vault-wide figures (audit size, other agents' recalls, stores at levels it cannot
// reach), which would tell it what the owner and other agents do. Only method names and outcome
// codes are counted: no ids, titles, levels of memories it failed to reach, or content.
import type { ErrorCode } from '../../core/errors.js';
import type { MethodName } from './agent-protocol.js';

export type CallOutcome = 'ok' | ErrorCode;

export class AgentCounters {
  private readonly byAgent = new Map<string, Map<string, number>>();

  count(agentId: string, method: MethodName, outcome: CallOutcome): void {
    let calls = this.byAgent.get(agentId);
    if (!calls) {
      calls = new Map();
      this.byAgent.set(agentId, calls);
    }
    const key = `${method}.${outcome}`; // bounded: methods × error codes
    calls.set(key, (calls.get(key) ?? 0) + 1);
  }

  /** This agent's calls since the server started, keyed `<method>.<ok|ERROR_CODE>`. */
  of(agentId: string): Readonly<Record<string, number>> {
    return Object.fromEntries(this.byAgent.get(agentId) ?? []);
  }
}
