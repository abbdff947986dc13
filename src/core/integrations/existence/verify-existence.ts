// Offline verification of an existence proof: the store event is canonical JSON naming the memory
// and its commitment; its leaf is included in a checkpoint signed by the (pinned or embedded) key;
// optionally the checkpoint is no larger than N ("existed before checkpoint N"); optionally the
// disclosed content and salt open the commitment. Each anchor's proof is checked the same way.
import { z } from 'zod';
import { hashLeaf, isCanonicalJson, parseVerifierKey, verifyTlogProof } from '../../audit/index.js';
import { constantTimeEqual, sha256 } from '../../crypto/keys.js';
import { contentCommitment } from '../../engine/memory-sealer.js';
import { existenceProofSchema, type ExistenceProof } from './existence-proof.js';

export interface ExistenceCheckOptions {
  /** The vault's verifier key as the auditor knows it; without it, the key in the proof is used (and said so). */
  readonly trustedKey?: string;
  readonly content?: Uint8Array;
  readonly salt?: Uint8Array;
  /** Time-bound variant: the proof's checkpoint must have at most this many events. */
  readonly beforeSize?: number;
}

export interface ExistenceVerification {
  readonly valid: boolean;
  readonly memoryId: string | null;
  readonly commitment: string | null;
  readonly checkpointSize: number | null;
  readonly keyPinned: boolean;
  readonly contentChecked: boolean;
  readonly anchorsChecked: number;
  readonly failures: readonly string[];
}

const storeEventSchema = z
  .object({
    kind: z.literal('memory.store'),
    seq: z.number().int(),
    outcome: z.literal('ok'),
    memory: z.object({ id: z.string(), level: z.number().int(), commitment: z.string() }).loose(),
  })
  .loose();

function checkInclusion(
  proofText: string,
  leaf: Uint8Array,
  key: string,
  index: number,
): { ok: true; size: number } | { ok: false; why: string } {
  const verifier = parseVerifierKey(key);
  if (!verifier.ok) return { ok: false, why: `verifier key is unusable (${verifier.error})` };
  const r = verifyTlogProof(proofText, leaf, verifier.value);
  if (!r.ok) {
    const f = r.failure;
    const why =
      f.kind === 'malformed-proof'
        ? f.detail
        : f.kind === 'bad-checkpoint'
          ? `checkpoint does not verify (${f.error.kind})`
          : `inclusion proof fails (${f.reason})`;
    return { ok: false, why };
  }
  if (r.proof.index !== index) return { ok: false, why: `the proof is for event ${r.proof.index}, not ${index}` };
  return { ok: true, size: r.checkpoint.size };
}

export function verifyExistenceProof(input: unknown, options: ExistenceCheckOptions = {}): ExistenceVerification {
  const failures: string[] = [];
  const parsed = existenceProofSchema.safeParse(input);
  if (!parsed.success) {
    return {
      valid: false,
      memoryId: null,
      commitment: null,
      checkpointSize: null,
      keyPinned: false,
      contentChecked: false,
      anchorsChecked: 0,
      failures: ['not an existence proof (format or fields are wrong)'],
    };
  }
  const p: ExistenceProof = parsed.data;
  const key = options.trustedKey ?? p.verifierKey;
  if (options.trustedKey !== undefined && options.trustedKey !== p.verifierKey)
    failures.push('the proof names a different verifier key than the trusted one');

  // 1. The event is canonical JSON and is this memory's store event with this commitment.
  if (!isCanonicalJson(p.event.canonicalJson)) failures.push('the store event is not RFC 8785 canonical JSON');
  let event: z.infer<typeof storeEventSchema> | null = null;
  try {
    const e = storeEventSchema.safeParse(JSON.parse(p.event.canonicalJson));
    if (e.success) event = e.data;
  } catch {
    event = null;
  }
  if (!event) failures.push('the event is not a successful memory.store event');
  else {
    if (event.seq !== p.event.index) failures.push('the event sequence number does not match its index');
    if (event.memory.id !== p.memoryId) failures.push('the event is about a different memory');
    if (event.memory.commitment !== p.commitment) failures.push('the event carries a different commitment');
  }

  // 2. The event's leaf is in a checkpoint signed by the key.
  const leaf = hashLeaf(Buffer.from(p.event.canonicalJson, 'utf8'));
  let checkpointSize: number | null = null;
  const main = checkInclusion(p.tlogProof, leaf, key, p.event.index);
  if (!main.ok) failures.push(`tlog-proof: ${main.why}`);
  else {
    checkpointSize = main.size;
    if (main.size !== p.checkpointSize) failures.push('checkpointSize does not match the signed checkpoint');
    if (options.beforeSize !== undefined && main.size > options.beforeSize) {
      failures.push(
        `the proof's checkpoint has ${main.size} events, more than ${options.beforeSize}: it does not show existence before checkpoint ${options.beforeSize}`,
      );
    }
  }

  // 3. Anchored checkpoints include the same event.
  for (const a of p.anchors) {
    const r = checkInclusion(a.tlogProof, leaf, key, p.event.index);
    if (!r.ok) failures.push(`anchor ${a.anchor} (checkpoint ${a.checkpointSize}): ${r.why}`);
    else if (r.size !== a.checkpointSize) failures.push(`anchor ${a.anchor}: checkpoint size does not match its proof`);
  }

  // 4. Optional opening of the commitment.
  let contentChecked = false;
  if (options.content !== undefined || options.salt !== undefined) {
    if (options.content === undefined || options.salt === undefined)
      failures.push('opening the commitment needs both the content and the salt');
    else {
      contentChecked = true;
      const opened = contentCommitment(options.salt, sha256(options.content));
      if (!constantTimeEqual(Buffer.from(opened, 'hex'), Buffer.from(p.commitment, 'hex')))
        failures.push('the content and salt do not open the commitment');
    }
  }

  return {
    valid: failures.length === 0,
    memoryId: p.memoryId,
    commitment: p.commitment,
    checkpointSize,
    keyPinned: options.trustedKey !== undefined,
    contentChecked,
    anchorsChecked: p.anchors.length,
    failures,
  };
}
