// Owner work a running server does for the CLI (issue 16: while `serve` or the desktop held the
// vault, `backup create`, `audit export` and `audit verify` answered VAULT_BUSY, so a vault that
// is always served could not be backed up from the CLI). The CLI logs in on the owner socket with
// OPAQUE and asks; the work runs here on the open session — the same functions the CLI runs on
// a vault it opens itself — and each result crosses back parsed by the schemas below.
import { isAbsolute } from 'node:path';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { readBackupHeader } from '../backup/backup-reader.js';
import { writeBackup } from '../backup/backup-writer.js';
import type { VaultSession } from '../vault/vault-session.js';

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => isAbsolute(p) && !p.includes('\0'), 'an absolute path');

export const auditFilterParamsSchema = z
  .object({
    kind: z.string().max(64).optional(),
    memoryId: z.string().max(64).optional(),
    actorId: z.string().max(128).optional(),
    outcome: z.string().max(16).optional(),
    fromTs: z.number().int().optional(),
    toTs: z.number().int().optional(),
    afterSeq: z.number().int().min(-1).optional(),
    limit: z.number().int().min(1).max(100_000),
  })
  .strict();

export const ownerWorkSchemas = {
  /** Full verification of the log (runs in a worker), with the checkpoint record it was checked against. */
  'audit.verify': z.object({}).strict(),
  /** Write a proof bundle to `out` (mode 0600); audited as audit.export. */
  'audit.export': z.object({ out: absolutePath, filter: auditFilterParamsSchema, fromSize: z.number().int().min(0).optional() }).strict(),
  /** Write an encrypted backup to `out`; `parent` is an earlier backup file for an incremental one. */
  'backup.create': z
    .object({
      out: absolutePath,
      parent: absolutePath.optional(),
      protection: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('age'), recipient: z.string().min(1).max(1024) }).strict(),
        z
          .object({
            kind: z.literal('passphrase'),
            passphrase: z.string().min(8).max(1024),
            kdfCost: z
              .object({
                opsLimit: z.number().int().min(1).max(20),
                memLimitBytes: z
                  .number()
                  .int()
                  .min(8 * 1024 * 1024),
              })
              .strict(),
          })
          .strict(),
      ]),
    })
    .strict(),
} as const;

export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  checkpoints: z.number().int(),
  verifiedCheckpointSize: z.number().int(),
  damage: z.object({ index: z.number().int(), kind: z.string(), detail: z.string() }).nullable(),
  record: z.object({ recordedSize: z.number().int(), databaseSize: z.number().int(), record: z.string() }).nullable(),
});
export const auditExportResultSchema = z.object({ written: z.string(), events: z.number().int() });
export const backupCreateResultSchema = z.object({
  file: z.string(),
  backupId: z.string(),
  kind: z.string(),
  parentId: z.string().nullable(),
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  protection: z.string(),
  bytes: z.number().int(),
  mbPerSecond: z.number(),
  auditKey: z.string(),
});

type Params<M extends keyof typeof ownerWorkSchemas> = z.output<(typeof ownerWorkSchemas)[M]>;
export type BackupCreateParams = Params<'backup.create'>;
type OwnerActor = { readonly type: 'owner'; readonly id: string };

export async function verifyAuditFor(session: VaultSession): Promise<z.input<typeof auditVerifyResultSchema>> {
  return { ...(await session.engine.auditLog.verify()), record: session.engine.auditLog.recordStatus() };
}

export async function exportAuditFor(
  session: VaultSession,
  p: Params<'audit.export'>,
  actor: OwnerActor,
): Promise<z.input<typeof auditExportResultSchema>> {
  const bundle = await session.engine.auditLog.exportBundle(p.filter, p.fromSize);
  await session.engine.recordEvent({ kind: 'audit.export', actor, outcome: 'ok', details: { events: bundle.events.length } });
  // Compact on purpose: with no insignificant whitespace, every byte of the file is checked.
  writeFileSync(p.out, `${JSON.stringify(bundle)}\n`, { mode: 0o600 });
  return { written: p.out, events: bundle.events.length };
}

/** `onBytes`: progress for a caller that can show it (the CLI's own bar when it opened the vault itself). */
export async function createBackupFor(
  session: VaultSession,
  p: Params<'backup.create'>,
  onBytes?: (bytes: number) => void,
): Promise<z.input<typeof backupCreateResultSchema>> {
  const started = performance.now();
  let bytes = 0;
  const header = await writeBackup(session, {
    out: p.out,
    protection: p.protection,
    ...(p.parent !== undefined ? { parent: readBackupHeader(p.parent) } : {}),
    onProgress: (progress) => {
      bytes = progress.bytes;
      onBytes?.(progress.bytes);
    },
  });
  const seconds = Math.max((performance.now() - started) / 1000, 1e-6);
  return {
    file: p.out,
    backupId: header.backupId,
    kind: header.kind,
    parentId: header.parentId,
    fromSeq: header.fromSeq,
    toSeq: header.toSeq,
    protection: header.protection.kind,
    bytes,
    mbPerSecond: Math.round((bytes / 1e6 / seconds) * 10) / 10,
    auditKey: session.engine.auditLog.verifierKey,
  };
}
