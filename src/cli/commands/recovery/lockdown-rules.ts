// `lockdown-rules show | set`: the anomaly triggers that put the vault in lockdown.
import type { Command } from 'commander';
import { VaultError } from '../../../core/errors.js';
import { LOCKDOWN_RULES_STATE, lockdownRulesSchema, readLockdownRules, type LockdownRules } from '../../../core/engine/lockdown.js';
import { setBadCredentialCounting } from '../../../node/vault/credentials.js';
import type { VaultSession } from '../../../node/vault/vault-session.js';
import { emit } from '../../io/output.js';
import { withVault, type GlobalOptions } from '../../io/vault-access.js';
import { intOption, run } from '../run.js';
import { parseDuration } from './duration.js';

/**
 * Store the rules and their `lockdown.rules` leaf in one transaction (engine.runAudited: a failed
 * append leaves the old rules), then switch the failed-unlock counter file on or off to match.
 */
export async function setLockdownRules(session: VaultSession, rules: LockdownRules): Promise<LockdownRules> {
  const parsed = lockdownRulesSchema.safeParse(rules);
  if (!parsed.success)
    throw new VaultError('INVALID_INPUT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  await session.engine.runAudited(
    (tx) => tx.setState(LOCKDOWN_RULES_STATE, JSON.stringify(parsed.data)),
    () => ({ kind: 'lockdown.rules', actor: { type: 'owner', id: 'cli' }, outcome: 'ok', details: { ...parsed.data } }),
  );
  // A file beside the header, not a table: it cannot join the transaction, so it follows the
  // rules only once they (and their leaf) have committed.
  setBadCredentialCounting(session.paths.dir, parsed.data.maxBadCredentials !== null);
  return parsed.data;
}

function human(r: LockdownRules): string {
  return [
    `lockdown after ${r.maxRefusals} refused recalls by one requester within ${r.windowMs / 1000} s`,
    `lockdown on integrity failure: ${r.onIntegrityFailure ? 'on' : 'off'}`,
    `lockdown after failed unlock attempts: ${r.maxBadCredentials === null ? 'off' : r.maxBadCredentials}`,
  ].join('\n');
}

export function registerLockdownRulesCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('lockdown-rules <action>')
    .description('show | set — when the vault goes into lockdown by itself')
    .option('--max-refusals <n>', 'refused recalls by one requester that trip lockdown')
    .option('--window <duration>', 'the window those refusals are counted in, e.g. 60s')
    .option('--on-integrity-failure <on|off>', 'lockdown at the first integrity failure')
    .option('--max-bad-credentials <n|off>', 'failed unlock attempts that trip lockdown (counted next to the header)')
    .action((action: string, o: { maxRefusals?: string; window?: string; onIntegrityFailure?: string; maxBadCredentials?: string }) =>
      run(globals(), async (g) => {
        if (action !== 'show' && action !== 'set') throw new VaultError('INVALID_INPUT', 'lockdown-rules takes show or set.');
        const rules = await withVault(g, async (s) => {
          const current = readLockdownRules(s.ports.state);
          if (action === 'show') return current;
          if (o.onIntegrityFailure !== undefined && !['on', 'off'].includes(o.onIntegrityFailure))
            throw new VaultError('INVALID_INPUT', '--on-integrity-failure takes on or off.');
          return setLockdownRules(s, {
            maxRefusals: o.maxRefusals !== undefined ? intOption(o.maxRefusals, '--max-refusals', 1, 100_000) : current.maxRefusals,
            windowMs: o.window !== undefined ? parseDuration(o.window, '--window') : current.windowMs,
            onIntegrityFailure: o.onIntegrityFailure !== undefined ? o.onIntegrityFailure === 'on' : current.onIntegrityFailure,
            maxBadCredentials:
              o.maxBadCredentials === undefined
                ? current.maxBadCredentials
                : o.maxBadCredentials === 'off'
                  ? null
                  : intOption(o.maxBadCredentials, '--max-bad-credentials', 1, 1000),
          });
        });
        emit(g, rules, human);
      }),
    );
}
