// The messages between the event loop and a vault worker thread (vault-worker.ts): one job per
// worker, on its own read-only connection to the vault's database. The database key travels
// once, as a transferred buffer the worker zeroes after opening; errors cross as data with a
// stable code and a fixed message; progress is reported as counts only.
import { z } from 'zod';
import { backupHeaderSchema } from '../../core/backup/backup-format.js';
import { ERROR_CODES } from '../../core/errors.js';
import { vaultHeaderSchema } from '../vault/vault-header.js';

const auditVerifyJobSchema = z
  .object({
    kind: z.literal('audit-verify'),
    /** The log's public verifier key and origin (the signer stays on the loop). */
    verifierKey: z.string().min(1).max(500),
    origin: z.string().min(1).max(500),
  })
  .strict();

const backupWriteJobSchema = z
  .object({
    kind: z.literal('backup-write'),
    /** The backup's own key (Argon2id of its passphrase, or the age-wrapped random key); transferred, zeroed by the worker. */
    key: z.instanceof(Uint8Array),
    /** The backup header but its `toSeq`, which the worker's snapshot decides. */
    header: backupHeaderSchema.omit({ toSeq: true }),
    parentToSeq: z.number().int().nonnegative().nullable(),
    vaultHeader: vaultHeaderSchema,
    out: z.string().min(1),
    chunkBytes: z.number().int().positive().optional(),
  })
  .strict();

const bundleExportJobSchema = z
  .object({
    kind: z.literal('bundle-export'),
    verifierKey: z.string().min(1).max(500),
    /** The checkpoint just signed on the loop that the bundle's proofs are against. */
    latest: z.object({ size: z.number().int().nonnegative(), note: z.string().min(1).max(4096) }).strict(),
    filter: z
      .object({
        kind: z.string().optional(),
        memoryId: z.string().optional(),
        actorId: z.string().optional(),
        outcome: z.string().optional(),
        fromTs: z.number().optional(),
        toTs: z.number().optional(),
        afterSeq: z.number().int().optional(),
        beforeSeq: z.number().int().optional(),
        newestFirst: z.boolean().optional(),
        limit: z.number().int().positive(),
      })
      .strict(),
    fromSize: z.number().int().nonnegative().optional(),
  })
  .strict();

export const vaultJobSchema = z.discriminatedUnion('kind', [auditVerifyJobSchema, backupWriteJobSchema, bundleExportJobSchema]);
export type VaultJob = z.infer<typeof vaultJobSchema>;

export const vaultWorkerStartSchema = z
  .object({
    database: z.object({ path: z.string().min(1), key: z.instanceof(Uint8Array) }).strict(),
    job: vaultJobSchema,
    /** One Int32 the loop sets to 1 to cancel; the worker polls it between chunks/pages and cleans up. */
    cancel: z.instanceof(SharedArrayBuffer),
  })
  .strict();
export type VaultWorkerStart = z.infer<typeof vaultWorkerStartSchema>;

export const vaultWorkerMessageSchema = z.discriminatedUnion('t', [
  z
    .object({
      t: z.literal('progress'),
      phase: z.string().max(40),
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
      /** Bytes written so far (a backup). */
      bytes: z.number().int().nonnegative().optional(),
    })
    .strict(),
  z.object({ t: z.literal('done'), result: z.unknown() }).strict(),
  /** The worker needs the loop to do something it cannot (sign the backup manifest): answered by `answer`. */
  z.object({ t: z.literal('ask'), question: z.unknown() }).strict(),
  z.object({ t: z.literal('failed'), code: z.enum(ERROR_CODES), message: z.string().max(1000) }).strict(),
]);
export type VaultWorkerMessage = z.infer<typeof vaultWorkerMessageSchema>;

/** The loop's reply to an `ask`. */
export const vaultWorkerAnswerSchema = z.object({ t: z.literal('answer'), answer: z.unknown() }).strict();

/** A backup's manifest, as the worker asks for its signature, and the signed note it gets back. */
export const manifestQuestionSchema = z
  .object({
    vaultId: z.string(),
    backupId: z.string(),
    headerDigest: z.string().regex(/^[0-9a-f]{64}$/),
    sections: z.array(z.object({ name: z.string(), records: z.number().int().nonnegative(), digest: z.string() }).strict()),
  })
  .strict();
export const signedNoteSchema = z
  .string()
  .min(1)
  .max(1024 * 1024);
export const backupDoneSchema = z.object({ header: backupHeaderSchema }).strict();

/** The full check's answer (core/transparency/audit-verifier.ts AuditVerification), parsed on its way back. */
export const auditVerificationSchema = z
  .object({
    ok: z.boolean(),
    events: z.number().int().nonnegative(),
    checkpoints: z.number().int().nonnegative(),
    verifiedCheckpointSize: z.number().int().nonnegative(),
    damage: z
      .object({
        index: z.number().int().nonnegative(),
        kind: z.enum(['edited', 'deleted', 'reordered', 'truncated', 'forged-checkpoint', 'tree-corrupt']),
        detail: z.string(),
      })
      .strict()
      .nullable(),
  })
  .strict();
