// How the engine contains a misbehaving agent without knowing about agent tokens: the node shell
// answers from its agent registry, writing the suspension and its `agent.suspend` audit leaf in
// one transaction. The engine only decides *when* (a burst of refusals from one agent).
export interface AgentSuspender {
  /**
   * Suspend the agent: every later call with its token is refused with AGENT_SUSPENDED until the
   * owner resumes it. Resolves true when this call suspended it, false when it already was.
   * Rejects (e.g. NOT_FOUND: no such agent in the registry) when it could not be contained —
   * the engine then fails closed with a vault-wide lockdown.
   */
  suspend(agentId: string, reason: string): Promise<boolean>;
}
