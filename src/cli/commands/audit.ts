// `memory-vault audit …`: browse, prove, export and verify the transparency log.
import { resolve } from 'node:path';
import { auditExportResultSchema, auditVerifyResultSchema, exportAuditFor, verifyAuditFor } from '../../node/agent-api/owner-vault-work.js';
import { servedOrLocal } from '../io/served-or-local.js';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { describeRanges, verifyBundle, type BundleFailure } from '../../core/audit/index.js';
import { VaultError } from '../../core/errors.js';
import type { AuditRecordFilter } from '../../core/ports/vault-repository.port.js';
import { neutraliseLine, neutraliseText } from '../../core/text/terminal-text.js';
import { emit } from '../io/output.js';
import { withVault, type GlobalOptions } from '../io/vault-access.js';
import { intOption, run } from './run.js';

interface FilterOptions {
  kind?: string;
  memory?: string;
  agent?: string;
  outcome?: string;
  since?: string;
  until?: string;
  after?: string;
  limit: string;
}

function timeOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new VaultError('INVALID_INPUT', `${name} must be an ISO-8601 time.`);
  return t;
}

function toFilter(o: FilterOptions, maxLimit = 100_000): AuditRecordFilter {
  const since = timeOption(o.since, '--since');
  const until = timeOption(o.until, '--until');
  return {
    ...(o.kind ? { kind: o.kind } : {}),
    ...(o.memory ? { memoryId: o.memory } : {}),
    ...(o.agent ? { actorId: o.agent } : {}),
    ...(o.outcome ? { outcome: o.outcome } : {}),
    ...(since !== undefined ? { fromTs: since } : {}),
    ...(until !== undefined ? { toTs: until } : {}),
    ...(o.after !== undefined ? { afterSeq: intOption(o.after, '--after', -1, Number.MAX_SAFE_INTEGER) } : {}),
    limit: intOption(o.limit, '--limit', 1, maxLimit),
  };
}

/** The fields `audit list` prints, read back from the log without trusting their shape. */
const listedEventSchema = z.object({
  ts: z.string(),
  kind: z.string(),
  outcome: z.string(),
  code: z.string().optional(),
  actor: z.object({ type: z.string(), id: z.string() }),
  memory: z.object({ id: z.string() }).optional(),
});

/** One line per event; every field is neutralised, since an event can quote what an agent sent. */
export function describeAuditRow(seq: number, event: unknown): string {
  const parsed = listedEventSchema.safeParse(event);
  if (!parsed.success) return `${String(seq).padStart(6)}  (event not in the expected shape: see \`audit show ${seq}\`)`;
  const e = parsed.data;
  const L = neutraliseLine;
  return `${String(seq).padStart(6)}  ${L(e.ts)}  ${L(e.kind).padEnd(18)} ${L(e.outcome).padEnd(7)} ${L(e.code ?? '')} ${L(e.actor.type)}:${L(e.actor.id)} ${e.memory ? `memory ${L(e.memory.id.slice(0, 8))}` : ''}`;
}

function withFilters(c: Command, defaultLimit: string): Command {
  return c
    .option('--kind <kind>', 'event kind, e.g. memory.recall')
    .option('--memory <id>', 'memory id')
    .option('--agent <id>', 'actor id (agent id, or the owner channel)')
    .option('--outcome <outcome>', 'ok | refused | error')
    .option('--since <iso>', 'from this time')
    .option('--until <iso>', 'up to this time')
    .option('--after <seq>', 'only events after this sequence number (paging)')
    .option('--limit <n>', 'maximum events', defaultLimit);
}

const COVERAGE_KINDS: ReadonlySet<string> = new Set([
  'bad-range',
  'duplicate-event',
  'out-of-order-event',
  'event-outside-ranges',
  'missing-events',
]);

/**
 * Failure kinds, with the sentence for completeness failures (which hold only numbers). Other
 * messages can quote bundle text (a key name), so they stay in the JSON details, not the terminal.
 */
function describeBundleFailures(failures: readonly BundleFailure[]): string {
  const shown = failures.slice(0, 10).map((f) => (COVERAGE_KINDS.has(f.kind) && 'message' in f ? `${f.kind} (${f.message})` : f.kind));
  return `${shown.join(', ')}${failures.length > shown.length ? `, and ${failures.length - shown.length} more` : ''}`;
}

export function registerAuditCommands(program: Command, globals: () => GlobalOptions): void {
  const audit = program.command('audit').description('The signed, append-only audit log (an RFC 6962 transparency log)');

  withFilters(audit.command('list').description('List audit events (filters combine; page with --after)'), '100').action(
    (o: FilterOptions) =>
      run(globals(), async (g) => {
        const rows = await withVault(g, (s) => Promise.resolve(s.engine.auditLog.list(toFilter(o, 10_000))));
        const events = rows.map((r) => ({ seq: r.seq, event: JSON.parse(r.json) as unknown }));
        emit(g, events, (evs) => evs.map(({ seq, event }) => describeAuditRow(seq, event)).join('\n') || 'No events.');
      }),
  );

  audit
    .command('show <seq>')
    .description('Show one event exactly as it is hashed (RFC 8785 canonical JSON)')
    .action((seq: string) =>
      run(globals(), async (g) => {
        const r = await withVault(g, (s) => Promise.resolve(s.engine.auditLog.show(intOption(seq, 'seq', 0, Number.MAX_SAFE_INTEGER))));
        emit(
          g,
          { seq: r.seq, canonicalJson: r.json, leafHash: r.leafHash.toString('hex') },
          (x) => `${neutraliseText(x.canonicalJson)}\nleaf hash ${x.leafHash}`,
        );
      }),
    );

  audit
    .command('checkpoint')
    .description('Sign the current tree head now and print the C2SP checkpoint (signed note)')
    .action(() =>
      run(globals(), async (g) => {
        const c = await withVault(g, (s) => s.engine.auditLog.checkpointNow());
        emit(g, { size: c.size, root: c.root.toString('base64'), note: c.note }, (x) => x.note);
      }),
    );

  audit
    .command('checkpoints')
    .description('List every stored signed checkpoint; --size N prints that one (signed note) for an auditor who holds an older one')
    .option('--size <n>', 'print the stored checkpoint of this tree size')
    .action((o: { size?: string }) =>
      run(globals(), async (g) => {
        if (o.size !== undefined) {
          const size = intOption(o.size, '--size', 0, Number.MAX_SAFE_INTEGER);
          const c = await withVault(g, (s) => Promise.resolve(s.engine.auditLog.storedCheckpoint(size)));
          emit(g, { size: c.size, root: c.root.toString('base64'), createdAt: new Date(c.createdAt).toISOString(), note: c.note }, (x) =>
            x.note.trimEnd(),
          );
          return;
        }
        const cs = await withVault(g, (s) => Promise.resolve(s.engine.auditLog.checkpoints()));
        emit(
          g,
          cs.map((c) => ({ size: c.size, root: c.root.toString('base64'), createdAt: new Date(c.createdAt).toISOString() })),
          (x) => x.map((c) => `${String(c.size).padStart(8)}  ${c.root}  ${c.createdAt}`).join('\n') || 'No checkpoints.',
        );
      }),
    );

  audit
    .command('key')
    .description("Print the log's verifier key (name+hash+base64), for auditors and Go's sumdb/note")
    .action(() =>
      run(globals(), async (g) => {
        const k = await withVault(g, (s) =>
          Promise.resolve({ origin: s.engine.auditLog.origin, verifierKey: s.engine.auditLog.verifierKey }),
        );
        emit(g, k, (x) => x.verifierKey);
      }),
    );

  audit
    .command('prove')
    .description('Inclusion proof of one event as a C2SP tlog-proof; --from-size adds a consistency proof to the same checkpoint')
    .requiredOption('--event <seq>', 'event sequence number')
    .option('--from-size <n>', 'size of an older stored checkpoint the auditor holds (see `audit checkpoints`)')
    .option('--out <file>', 'write the .tlog-proof file here')
    .action((o: { event: string; fromSize?: string; out?: string }) =>
      run(globals(), async (g) => {
        const index = intOption(o.event, '--event', 0, Number.MAX_SAFE_INTEGER);
        const fromSize = o.fromSize !== undefined ? intOption(o.fromSize, '--from-size', 0, Number.MAX_SAFE_INTEGER) : undefined;
        const result = await withVault(g, async (s) => {
          if (fromSize === undefined) return { p: await s.engine.auditLog.prove(index), consistency: null };
          const both = await s.engine.auditLog.proveFrom(index, fromSize);
          return { p: both.proof, consistency: both.consistency };
        });
        if (o.out) writeFileSync(o.out, result.p.tlogProof, { mode: 0o600 });
        const consistency = result.consistency
          ? {
              fromSize: result.consistency.from.size,
              toSize: result.consistency.to.size,
              olderCheckpoint: result.consistency.from.note,
              proof: result.consistency.proof,
            }
          : null;
        emit(
          g,
          {
            index: result.p.index,
            treeSize: result.p.checkpoint.size,
            checkpoint: result.p.checkpoint.note,
            event: result.p.canonicalJson,
            tlogProof: result.p.tlogProof,
            ...(consistency ? { consistency } : {}),
            ...(o.out ? { written: o.out } : {}),
          },
          (x) => {
            const head = o.out ? `Wrote inclusion proof of event ${x.index} in tree ${x.treeSize} to ${o.out}.` : x.tlogProof.trimEnd();
            if (!consistency) return head;
            // The consistency proof is for the checkpoint inside the tlog-proof (size treeSize).
            return [
              head,
              '',
              `consistency proof from tree size ${consistency.fromSize} to ${consistency.toSize} (RFC 6962 §2.1.2, base64, one hash per line):`,
              ...consistency.proof,
            ].join('\n');
          },
        );
      }),
    );

  withFilters(
    audit
      .command('export')
      .description('Export a proof bundle (events + tlog-proofs + signed checkpoint[s]) for offline verification')
      .requiredOption('--out <file>', 'bundle file to write')
      .option('--from-size <n>', 'include a consistency proof from this older checkpoint'),
    '100000',
  ).action((o: FilterOptions & { out: string; fromSize?: string }) =>
    run(globals(), async (g) => {
      const fromSize = o.fromSize !== undefined ? intOption(o.fromSize, '--from-size', 0, Number.MAX_SAFE_INTEGER) : undefined;
      const params = { out: resolve(o.out), filter: toFilter(o), ...(fromSize !== undefined ? { fromSize } : {}) };
      // While a server holds the vault, it writes the bundle (owner-vault-work.ts); else this process does.
      const written = await servedOrLocal(
        g,
        async (c) => auditExportResultSchema.parse(await c.call<unknown>('audit.export', params)),
        (s) => exportAuditFor(s, params, { type: 'owner', id: 'cli' }),
      );
      emit(g, written, (x) => `Wrote ${x.events} events with proofs to ${x.written}.`);
    }),
  );

  audit
    .command('verify')
    .description('Recompute every leaf and the tree, check every checkpoint signature; names the first bad index')
    .action(() =>
      run(globals(), async (g) => {
        // The unlock inside withVault already checked the log against checkpoint.json; verify()
        // checks it again, and the result names the record it was checked against.
        const r = await servedOrLocal(
          g,
          async (c) => auditVerifyResultSchema.parse(await c.call<unknown>('audit.verify', {})),
          (s) => verifyAuditFor(s),
        );
        if (!r.ok && r.damage) {
          throw new VaultError('INTEGRITY_FAILURE', `Audit log damaged at index ${r.damage.index} (${r.damage.kind}): ${r.damage.detail}`, {
            index: r.damage.index,
            kind: r.damage.kind,
            events: r.events,
          });
        }
        emit(g, r, (x) =>
          [
            `Audit log verified: ${x.events} events, ${x.checkpoints} checkpoints, verified up to checkpoint ${x.verifiedCheckpointSize}.`,
            ...(x.record
              ? [
                  `Checkpoint record ${x.record.record}: ${x.record.recordedSize} events, consistent with the database's ${x.record.databaseSize}.`,
                ]
              : []),
          ].join('\n'),
        );
      }),
    );

  audit
    .command('verify-bundle <file>')
    .description('Check a proof bundle offline (no vault needed); --key pins the verifier key you trust')
    .option('--key <verifierKey>', 'trusted verifier key (name+hash+base64)')
    .action((file: string, o: { key?: string }) =>
      run(globals(), async (g) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(readFileSync(file, 'utf8'));
        } catch {
          throw new VaultError('INVALID_INPUT', 'The bundle file cannot be read as JSON.');
        }
        const r = verifyBundle(parsed, o.key ? { trustedKey: o.key } : {});
        if (!r.valid) {
          throw new VaultError('INTEGRITY_FAILURE', `Bundle rejected: ${describeBundleFailures(r.failures)}`, {
            failures: JSON.stringify(r.failures),
          });
        }
        const coverage =
          r.ranges === null
            ? 'completeness NOT claimed (version 1 bundle without ranges: events may be missing)'
            : `complete over index ranges ${describeRanges(r.ranges)}${r.wholeLog ? ' (the whole log)' : ''}`;
        emit(
          g,
          {
            valid: true,
            eventsVerified: r.eventsVerified,
            keyTrusted: r.keyTrusted,
            treeSize: r.checkpoint?.size ?? null,
            ranges: r.ranges,
            complete: r.ranges !== null,
            wholeLog: r.wholeLog,
          },
          (x) =>
            `Bundle valid: ${x.eventsVerified} events proven in tree ${x.treeSize}; ${coverage}${x.keyTrusted ? ' (trusted key)' : ' (key taken from the bundle: pass --key to pin it)'}.`,
        );
      }),
    );

  const witness = audit
    .command('witness')
    .description('Mirror every signed checkpoint to a directory you choose; unlock checks it for rollback');
  witness
    .command('set <dir>')
    .description('Mirror checkpoints to DIR (a USB stick, a synced folder)')
    .action((dir: string) =>
      run(globals(), async (g) => {
        const st = await withVault(g, (s) => {
          s.setWitnessDir(dir);
          return Promise.resolve(s.engine.auditLog.witnessStatus());
        });
        emit(g, st, () => `Checkpoints are now mirrored to ${dir}.`);
      }),
    );
  witness
    .command('status')
    .description('Show the witness and whether the log is consistent with it')
    .action(() =>
      run(globals(), async (g) => {
        const st = await withVault(g, (s) => Promise.resolve(s.engine.auditLog.witnessStatus()));
        emit(g, st, (x) =>
          x.state === 'consistent'
            ? `Witness ${x.witness}: saw ${x.witnessSize} events, consistent with the local ${x.localSize}.`
            : `Witness: ${x.state}.`,
        );
      }),
    );
}
