// `deadman arm | checkin | status | disarm`.
import type { Command } from 'commander';
import { VaultError } from '../../../core/errors.js';
import type { Heir } from '../../../core/deadman/deadman-state.js';
import { armDeadman, checkInDeadman, deadmanStatus, disarmDeadman, type DeadmanStatus } from '../../../node/deadman/deadman.service.js';
import { emit } from '../../io/output.js';
import { withVault, type GlobalOptions } from '../../io/vault-access.js';
import { run } from '../run.js';
import { parseDuration } from './duration.js';
import { withOwnerVault } from './owner-vault.js';
import { resolveAgeRecipient } from '../../../node/age/age-identity-file.js';
import { readTextFile } from './secrets.js';

const collect = (v: string, acc: string[]): string[] => [...acc, v];

function human(s: DeadmanStatus): string {
  if (s.phase === 'disarmed') return 'The dead-man switch is not armed.';
  const lines = [
    s.released
      ? `Released at ${s.released.at}: ${s.released.files.join(', ')}`
      : `Armed (${s.phase}); check in before ${s.deadline ?? '?'} (release at ${s.releaseAt ?? '?'}).`,
    `  heirs: ${s.heirs.map((h) => h.name).join(', ')}; ${s.memories} memories${s.recoveryKeyIncluded ? ' and a recovery key' : ''}; release directory ${s.releaseDir ?? '?'}`,
  ];
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

export function registerDeadmanCommands(program: Command, globals: () => GlobalOptions): void {
  const dm = program.command('deadman').description('Dead-man switch: release age-encrypted packages to heirs if you stop checking in');

  dm.command('arm')
    .description("Arm the switch (touch your registered security key); packages are sealed now, to the heirs' age recipients")
    .requiredOption('--interval <duration>', 'check-in interval, e.g. 7d')
    .option('--grace <duration>', 'grace period after a missed deadline', '1d')
    .option('--warn-before <duration>', 'warn this long before the deadline (default: a quarter of the interval)')
    .requiredOption('--release-dir <dir>', 'where packages are written on release')
    .option('--heir <name=age1…>', 'an heir: name=age1… or name=RECIPIENTS-FILE (repeatable)', collect, [])
    .option('--memory <id>', 'a memory to include (repeatable)', collect, [])
    .option('--include-recovery-key', 'include a recovery key for the vault in the packages')
    .action(
      (o: {
        interval: string;
        grace: string;
        warnBefore?: string;
        releaseDir: string;
        heir: string[];
        memory: string[];
        includeRecoveryKey?: boolean;
      }) =>
        run(globals(), async (g) => {
          const heirs: Heir[] = o.heir.map((h) => {
            const i = h.indexOf('=');
            if (i <= 0) throw new VaultError('INVALID_INPUT', 'An heir is name=age1….');
            return { name: h.slice(0, i), recipient: resolveAgeRecipient(h.slice(i + 1), (f) => readTextFile(f, 'age recipients')) };
          });
          const status = await withOwnerVault(g, (s, credentials) =>
            armDeadman(s, {
              intervalMs: parseDuration(o.interval, '--interval'),
              graceMs: parseDuration(o.grace, '--grace'),
              ...(o.warnBefore ? { warnBeforeMs: parseDuration(o.warnBefore, '--warn-before') } : {}),
              releaseDir: o.releaseDir,
              heirs,
              memoryIds: o.memory,
              includeRecoveryKey: o.includeRecoveryKey === true,
              credentials,
            }),
          );
          emit(g, status, human);
        }),
    );

  dm.command('checkin')
    .description('Tell the switch you are here: the interval starts again')
    .action(() =>
      run(globals(), async (g) => {
        const r = await withVault(g, async (s) => {
          await checkInDeadman(s);
          return deadmanStatus(s);
        });
        emit(g, r, human);
      }),
    );

  dm.command('status')
    .description('Deadline, heirs and warnings')
    .action(() =>
      run(globals(), async (g) => {
        const r = await withVault(g, (s) => Promise.resolve(deadmanStatus(s)));
        emit(g, r, human);
      }),
    );

  dm.command('disarm')
    .description('Disarm the switch (touch the security key that armed it); stored packages are destroyed')
    .action(() =>
      run(globals(), async (g) => {
        const r = await withVault(g, (s) => disarmDeadman(s));
        emit(g, r, (x) => `Disarmed dead-man switch ${x.switchId}.`);
      }),
    );
}
