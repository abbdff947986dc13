// `memory-vault effort …`: MP-02 effort observation and signed receipts.
import type { Command } from 'commander';
import { VaultError } from '../../../core/errors.js';
import { CAPTURE_MODALITIES, SIGNAL_TYPES, type CaptureModality, type SignalType } from '../../../core/integrations/effort/effort-model.js';
import type { EffortValidation } from '../../../core/integrations/effort/effort-validator.js';
import { EffortStore, type StoredReceipt } from '../../../node/integrations/effort-store.js';
import type { VaultSession } from '../../../node/vault/vault-session.js';
import { emit } from '../../io/output.js';
import { withVault, type GlobalOptions } from '../../io/vault-access.js';
import { run } from '../run.js';

function storeOf(s: VaultSession): EffortStore {
  const keys = s.engine.auditLog.keys;
  return new EffortStore(s.tables, { verifierKey: keys.verifierKey, sign: (m) => keys.signer.sign(m) }, s.engine, {
    type: 'owner',
    id: s.ownerProof().channel,
  });
}

const renderReceipt = (r: StoredReceipt): string =>
  `receipt ${r.receipt.receiptId} for segment ${r.receipt.segmentId}${r.receipt.memoryId ? ` → memory ${r.receipt.memoryId}` : ''}\n  ${r.receipt.validation.summary}\n  sha256 ${r.receiptHash}`;

const renderValidation = (r: {
  segment: { id: string; state: string; signals: readonly unknown[] };
  validation: EffortValidation;
}): string =>
  [
    `segment ${r.segment.id} (${r.segment.state}, ${r.segment.signals.length} signal(s))`,
    `  coherence ${r.validation.coherence}  progression ${r.validation.progression}  uncertainty ${r.validation.uncertainty}`,
    `  ${r.validation.summary}`,
    `  validator ${r.validation.validator.name} v${r.validation.validator.version}`,
  ].join('\n');

function captureModality(value: string): CaptureModality {
  const m = CAPTURE_MODALITIES.find((x) => x === value);
  if (!m) throw new VaultError('INVALID_INPUT', `Capture modalities: ${CAPTURE_MODALITIES.join(', ')}.`);
  return m;
}

function signalType(value: string): SignalType {
  const t = SIGNAL_TYPES.find((x) => x === value);
  if (!t) throw new VaultError('INVALID_INPUT', `Signal types: ${SIGNAL_TYPES.join(', ')}.`);
  return t;
}

export function registerEffortCommands(program: Command, globals: () => GlobalOptions): void {
  const effort = program.command('effort').description('MP-02 proof-of-effort: observe signals, validate, issue signed receipts');
  effort
    .command('start')
    .option('--reason <text>', 'why this segment starts', '')
    .option('--observer <id>', 'who captures the signals (disclosed on the receipt)', 'memory-vault-cli')
    .option('--modality <how>', `how they are captured (${CAPTURE_MODALITIES.join(', ')})`, 'manual-entry')
    .action((o: { reason: string; observer: string; modality: string }) =>
      run(globals(), async (g) => {
        const observer = { id: o.observer, captureModality: captureModality(o.modality) };
        emit(g, await withVault(g, (s) => Promise.resolve(storeOf(s).start(o.reason, observer))), (seg) => `observing segment ${seg.id}`);
      }),
    );
  effort
    .command('signal <type> <text>')
    .description(`record a signal (${SIGNAL_TYPES.join(', ')})`)
    .option('--segment <id>', 'segment (default: the one being observed)')
    .action((type: string, text: string, o: { segment?: string }) =>
      run(globals(), async (g) =>
        emit(
          g,
          await withVault(g, (s) => Promise.resolve(storeOf(s).signal(signalType(type), text, o.segment))),
          (seg) => `${seg.signals.length} signal(s) in ${seg.id}`,
        ),
      ),
    );
  effort
    .command('stop')
    .option('--reason <text>', 'why this segment ends', '')
    .option('--segment <id>', 'segment (default: the one being observed)')
    .option('--memory <id>', 'issue the receipt now, linked to this memory')
    .action((o: { reason: string; segment?: string; memory?: string }) =>
      run(globals(), async (g) => {
        const out = await withVault(g, async (s) => {
          const store = storeOf(s);
          const seg = store.stop(o.reason, o.segment);
          return { segment: seg.id, receipt: o.memory ? await store.issue(seg.id, s.engine.describe(o.memory).id) : null };
        });
        emit(g, out, (r) =>
          r.receipt ? renderReceipt(r.receipt) : `stopped ${r.segment}; issue its receipt with \`effort receipt ${r.segment} --memory ID\``,
        );
      }),
    );
  effort
    .command('validate <segment>')
    .description('Validate a segment (deterministic scores and summary) without issuing a receipt')
    .action((segment: string) =>
      run(globals(), async (g) => emit(g, await withVault(g, (s) => Promise.resolve(storeOf(s).validate(segment))), renderValidation)),
    );
  effort
    .command('receipt <segment>')
    .description('Validate a stopped segment and issue its signed receipt')
    .option('--memory <id>', 'the memory this effort produced')
    .action((segment: string, o: { memory?: string }) =>
      run(globals(), async (g) =>
        emit(g, await withVault(g, (s) => storeOf(s).issue(segment, o.memory ? s.engine.describe(o.memory).id : null)), renderReceipt),
      ),
    );
  effort
    .command('pending')
    .description('Segments being observed or without a receipt')
    .action(() =>
      run(globals(), async (g) =>
        emit(g, await withVault(g, (s) => Promise.resolve(storeOf(s).pending())), (rows) =>
          rows.length ? rows.map((r) => `${r.id}  ${r.state}  ${r.signals} signal(s)  since ${r.startedAt}`).join('\n') : 'nothing pending',
        ),
      ),
    );
  effort
    .command('receipts <memory>')
    .description('Receipts linked to a memory')
    .action((memory: string) =>
      run(globals(), async (g) =>
        emit(g, await withVault(g, (s) => Promise.resolve(storeOf(s).receiptsOf(s.engine.describe(memory).id))), (rows) =>
          rows.length ? rows.map(renderReceipt).join('\n') : 'no receipts',
        ),
      ),
    );
}
