// `rotate-key [--full]`: new profile key and database key, DEKs rewrapped (or content re-encrypted).
import type { Command } from 'commander';
import { rotateProfileKey, type RotationPhase } from '../../../node/rotation/rotate-profile-key.js';
import { emit } from '../../io/output.js';
import type { GlobalOptions } from '../../io/vault-access.js';
import { run } from '../run.js';
import { withOwnerVault } from './owner-vault.js';
import { phaseLine } from './progress.js';

const PHASE_TEXT: Record<RotationPhase, string> = {
  prepare: 'checking your credentials',
  touch: 'touch your security key for each level-5 memory',
  'pending-header': 'new keys written to the header as pending',
  rewrap: 'rewrapping memory keys',
  rekey: 're-encrypting the database file',
  audit: 'recording the rotation in the audit log',
  'commit-header': 'making the new keys current',
  done: 'done',
};

export function registerRotateCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('rotate-key')
    .description(
      'Replace the profile key and database key; every memory key is rewrapped (--full: content re-encrypted). Escrows are invalidated.',
    )
    .option('--full', 're-encrypt every memory under a new data key too (slower)')
    .action((o: { full?: boolean }) =>
      run(globals(), async (g) => {
        let lastPhase = '';
        let lastPct = -1;
        const result = await withOwnerVault(g, (session, credentials) =>
          rotateProfileKey(session, {
            credentials,
            full: o.full === true,
            onProgress: (p) => {
              const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : -1;
              if (p.phase !== lastPhase || (pct >= 0 && pct >= lastPct + 10)) {
                phaseLine(`rotate-key: ${PHASE_TEXT[p.phase]}${pct >= 0 ? ` ${pct}% (${p.done}/${p.total})` : ''}`);
                lastPhase = p.phase;
                lastPct = pct;
              }
            },
          }),
        );
        emit(g, result, (r) =>
          [
            `Rotated the vault keys (${r.full ? 'full: content re-encrypted' : 'keys rewrapped'}) for ${r.memories} memories in ${(r.ms / 1000).toFixed(1)} s.`,
            `  profile key ${r.from} → ${r.to}; database re-encrypted; audit signing key resealed.`,
            ...(r.escrowsInvalidated > 0
              ? [`  ${r.escrowsInvalidated} escrow(s) no longer open the vault: create new ones with \`memory-vault escrow create\`.`]
              : []),
          ].join('\n'),
        );
      }),
    );
}
