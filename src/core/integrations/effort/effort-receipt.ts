// MP-02 effort receipts: a signed statement that a segment of observed effort took place, with
// its time bounds, the hashes of its signals (never their text), the deterministic validation,
// and the memory it produced. Signed by the vault's audit key under a domain-separated message
// ("memory-vault/mp02-receipt/v1\n" + RFC 8785 JSON, no trailing newline), which can never
// parse as a C2SP checkpoint note, so a receipt signature cannot be replayed as a checkpoint.
import { z } from 'zod';
import { canonicalJson, decodeBase64Strict, encodeBase64, parseVerifierKey } from '../../audit/index.js';
import { sha256 } from '../../crypto/keys.js';
import { observerSchema, signalHash, type EffortSegment } from './effort-model.js';
import { validateSegment } from './effort-validator.js';

export const RECEIPT_FORMAT = 'memory-vault/mp02-receipt';
const DOMAIN = 'memory-vault/mp02-receipt/v1\n';

const score = z.number().min(0).max(1);

const receiptBodyV1Schema = z
  .object({
    format: z.literal(RECEIPT_FORMAT),
    version: z.literal(1),
    receiptId: z.string().min(1).max(64),
    memoryId: z.string().min(1).max(64).nullable(),
    segmentId: z.string().min(1).max(64),
    timeBounds: z.object({ start: z.string(), end: z.string() }).strict(),
    signalCount: z.number().int().min(0),
    signalHashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
    validation: z
      .object({
        coherence: score,
        progression: score,
        uncertainty: score,
        summary: z.string().max(2000),
        validator: z.object({ name: z.string(), version: z.number().int() }).strict(),
      })
      .strict(),
    issuedAt: z.string(),
    /** The vault's audit verifier key (C2SP note key), which verifies `signature`. */
    verifierKey: z.string().min(1).max(1000),
  })
  .strict();

/**
 * Version 2 adds the observer's identity and capture modality (MP-02 A.6: receipts MUST carry
 * observer and validator identifiers). `observer` is null only for a segment recorded before
 * observers were disclosed — the receipt then says so instead of inventing one.
 */
const receiptBodyV2Schema = receiptBodyV1Schema.extend({ version: z.literal(2), observer: observerSchema.nullable() }).strict();

export const receiptBodySchema = z.discriminatedUnion('version', [receiptBodyV1Schema, receiptBodyV2Schema]);

const signatureField = { signature: z.string().min(1).max(200) };
/** Version 1 receipts (issued before observers were disclosed) still verify. */
export const effortReceiptSchema = z.discriminatedUnion('version', [
  receiptBodyV1Schema.extend(signatureField).strict(),
  receiptBodyV2Schema.extend(signatureField).strict(),
]);

export type EffortReceiptBody = z.infer<typeof receiptBodySchema>;
export type EffortReceipt = z.infer<typeof effortReceiptSchema>;

export interface ReceiptSigner {
  readonly verifierKey: string;
  sign(message: Uint8Array): Uint8Array;
}

export function receiptMessage(body: EffortReceiptBody): Buffer {
  return Buffer.from(DOMAIN + canonicalJson(body), 'utf8');
}

export function receiptHash(receipt: EffortReceipt): string {
  return sha256(DOMAIN + canonicalJson(receipt)).toString('hex');
}

export function issueReceipt(args: {
  segment: EffortSegment;
  memoryId: string | null;
  receiptId: string;
  issuedAt: number;
  signer: ReceiptSigner;
}): EffortReceipt {
  const { segment } = args;
  const end = segment.stoppedAt ?? args.issuedAt;
  const body: EffortReceiptBody = receiptBodySchema.parse({
    format: RECEIPT_FORMAT,
    version: 2,
    receiptId: args.receiptId,
    memoryId: args.memoryId,
    segmentId: segment.id,
    timeBounds: { start: new Date(segment.startedAt).toISOString(), end: new Date(end).toISOString() },
    signalCount: segment.signals.length,
    signalHashes: segment.signals.map(signalHash),
    validation: validateSegment(segment),
    issuedAt: new Date(args.issuedAt).toISOString(),
    verifierKey: args.signer.verifierKey,
    observer: segment.observer ?? null,
  });
  return { ...body, signature: encodeBase64(args.signer.sign(receiptMessage(body))) };
}

export interface ReceiptVerification {
  readonly valid: boolean;
  readonly failures: readonly string[];
}

/**
 * Checks the signature (against `trustedKey`, or the key the receipt names) and, when the segment
 * is given, that its signals and validation are exactly what the receipt attests.
 */
export function verifyReceipt(input: unknown, options: { trustedKey?: string; segment?: EffortSegment } = {}): ReceiptVerification {
  const parsed = effortReceiptSchema.safeParse(input);
  if (!parsed.success) return { valid: false, failures: ['not an MP-02 receipt (format or fields are wrong)'] };
  const { signature, ...body } = parsed.data;
  const failures: string[] = [];
  const key = options.trustedKey ?? body.verifierKey;
  if (options.trustedKey !== undefined && options.trustedKey !== body.verifierKey)
    failures.push('the receipt names a different key than the trusted one');
  const verifier = parseVerifierKey(key);
  const sig = decodeBase64Strict(signature);
  if (!verifier.ok) failures.push(`the verifier key is unusable (${verifier.error})`);
  else if (sig === undefined || !verifier.value.verify(receiptMessage(body), sig)) failures.push('the signature does not verify');
  if (options.segment) {
    const seg = options.segment;
    const hashes = seg.signals.map(signalHash);
    if (seg.id !== body.segmentId) failures.push('the segment is not the one the receipt names');
    if (hashes.length !== body.signalHashes.length || hashes.some((h, i) => h !== body.signalHashes[i]))
      failures.push("the segment's signals differ from the ones the receipt attests");
    const v = validateSegment(seg);
    if (canonicalJson(v) !== canonicalJson(body.validation)) failures.push('re-validating the segment gives different scores');
  }
  return { valid: failures.length === 0, failures };
}
