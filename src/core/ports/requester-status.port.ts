// Whether a requester may still act, asked again at delivery (recall-pipeline), inside the
// transaction that appends the recall's audit leaf. The engine knows nothing of agent tokens;
// the node shell answers from its agent registry, so a token revoked, expired or suspended
// while a recall waited for the owner is refused before anything is decrypted.
import type { Requester } from '../model/requester.js';

/** Why a requester may no longer act: revoked or expired token → UNAUTHORIZED, suspended → AGENT_SUSPENDED. */
export type RequesterRefusal = 'UNAUTHORIZED' | 'AGENT_SUSPENDED';

export interface RequesterStatusPort {
  /** null while the requester may act. Synchronous: it runs inside the delivery transaction. */
  check(requester: Requester): RequesterRefusal | null;
}

/**
 * For an engine built without an agent registry (unit tests, owner-only tools): owners and
 * system components are always current, and there is no registry an agent could have left.
 * Every shell that serves agents (vault-server) registers its registry instead.
 */
export const noRequesterRegistry: RequesterStatusPort = {
  check: () => null,
};
