// Lockdown rule "repeated bad credentials": failed attempts are counted next to the header since
// the last successful unlock; at or over the owner's limit, lockdown goes on (and is audited).
// At unlock the count is audited and reset; in an open session it accumulates until it trips.
import { readLockdownRules } from '../../core/engine/lockdown.js';
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import type { VaultRepository } from '../../core/ports/vault-repository.port.js';
import { readBadCredentialCount, resetBadCredentialCount } from './credentials.js';

export interface BadCredentialRuleDeps {
  readonly dir: string;
  readonly engine: Pick<VaultEngine, 'recordEvent' | 'lockdownOn' | 'lockdownStatus'>;
  readonly repo: VaultRepository;
}

export async function applyBadCredentialRule(deps: BadCredentialRuleDeps, atUnlock: boolean): Promise<void> {
  const count = readBadCredentialCount(deps.dir);
  if (count === null || count.count === 0) return;
  const rules = readLockdownRules(deps.repo);
  const trips = rules.maxBadCredentials !== null && count.count >= rules.maxBadCredentials;
  if (!atUnlock && !trips) return;
  await deps.engine.recordEvent({
    kind: 'unlock.failed',
    actor: { type: 'system', id: 'credential-counter' },
    outcome: 'refused',
    code: 'BAD_CREDENTIALS',
    details: { failedAttempts: count.count, last: count.last },
  });
  if (trips && !deps.engine.lockdownStatus().on) {
    await deps.engine.lockdownOn(
      { kind: 'system', component: 'credential-counter' },
      `${count.count} failed unlock attempts (lockdown rule: ${rules.maxBadCredentials})`,
    );
  }
  resetBadCredentialCount(deps.dir);
}
