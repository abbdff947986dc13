// Key escrow: a recovery key that opens the profile key (a header recovery slot), split with
// Shamir's scheme (shamir-secret-sharing) into n shares of which any k rebuild it.
// Invariants: the vault stores no share and no recovery key — the escrows table holds metadata
// and per-share fingerprints only; every share carries a checksum, and the rebuilt key must
// match the slot's fingerprint before it is used; recovery consumes the slot.
// Row changes go through `engine.runAudited` (store/escrows.table.ts inside the work), so each commits
// with its `escrow.*` leaf. The header slot is a file and cannot join that transaction: it is
// added before the row commits and removed again if the commit fails.
import { randomUUID } from 'node:crypto';
import * as age from 'age-encryption';
import { combine, split } from 'shamir-secret-sharing';
import { zeroize } from '../../core/crypto/keys.js';
import { escrowDataSchema, type EscrowData, type EscrowRecipient } from '../../core/escrow/escrow-record.js';
import {
  decodeShare,
  encodeShare,
  shareEnvelopeSchema,
  shareFingerprint,
  type EscrowShare,
  type ShareEnvelope,
} from '../../core/escrow/share-codec.js';
import { VaultError } from '../../core/errors.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import type { Credentials } from '../vault/credentials.js';
import { unlockWithRecoveryKey } from '../composition/vault-sessions.js';
import type { SessionOptions, VaultSession } from '../vault/vault-session.js';
import { addRecoverySlot, removeRecoverySlot } from './recovery-slot.js';
import type { SessionPorts } from '../vault/session-ports.js';
import type { FeatureTables } from '../store/feature-tables.js';
import type { EscrowRow } from '../store/escrows.table.js';
import { openAgeArmored } from '../age/age-armor.js';

/**
 * What escrow needs from an open session (narrow ports, not the session): the header file (its
 * recovery slots), the owner's keys, the audited writer, the clock and the escrows table.
 */
export interface EscrowHost {
  readonly ports: Pick<SessionPorts, 'headers' | 'owner' | 'audited' | 'clock'>;
  readonly tables: Pick<FeatureTables, 'escrows'>;
}

export interface CreateEscrowOptions {
  readonly credentials: Credentials;
  readonly label: string;
  readonly threshold: number;
  /** One entry per share: an age recipient (the share is encrypted to it) or printable text. */
  readonly recipients: readonly EscrowRecipient[];
  /** Which owner surface made it, for the audit leaf (default 'cli'). */
  readonly channel?: OwnerChannel;
}

export interface ExportedShare {
  readonly index: number;
  readonly fingerprint: string;
  readonly recipient: EscrowRecipient;
  /** `MVS1-…` text (printable); for an age recipient this is what the encrypted file holds. */
  readonly text: string | null;
  /** ASCII-armored age file for an age recipient. */
  readonly ageArmored: string | null;
}

export interface EscrowSummary {
  readonly id: string;
  readonly label: string;
  readonly threshold: number;
  readonly shares: number;
  readonly createdAt: string;
  readonly deletedAt: string | null;
  readonly usable: boolean;
  readonly invalidatedBy: EscrowData['invalidatedBy'] | null;
  readonly shareFingerprints: readonly { index: number; fingerprint: string; recipient: string }[];
}

export async function createEscrow(session: EscrowHost, opts: CreateEscrowOptions): Promise<{ escrowId: string; shares: ExportedShare[] }> {
  const n = opts.recipients.length;
  const k = opts.threshold;
  if (!Number.isInteger(k) || k < 2 || n < k || n > 255)
    throw new VaultError('INVALID_INPUT', 'Escrow needs 2 ≤ threshold ≤ shares ≤ 255.');
  const label = opts.label.trim();
  if (label.length === 0 || label.length > 100) throw new VaultError('INVALID_INPUT', 'Give the escrow a label of 1 to 100 characters.');
  const keys = await session.ports.owner.openKeys(opts.credentials);
  zeroize(keys.wrappingKey);
  const escrowId = randomUUID();
  let recoveryKey: Buffer | undefined;
  let raw: Uint8Array[] = [];
  try {
    const added = addRecoverySlot(session, keys.profileKey, 'escrow', escrowId);
    recoveryKey = added.recoveryKey;
    // The library checks `instanceof Uint8Array` strictly (a Buffer from another realm fails): pass a plain copy.
    const plain = new Uint8Array(recoveryKey);
    try {
      raw = await split(plain, n, k);
    } finally {
      plain.fill(0);
    }
    const shares: ExportedShare[] = [];
    for (const [i, share] of raw.entries()) {
      const recipient = opts.recipients[i] as EscrowRecipient;
      const text = encodeShare({ escrowId, threshold: k, shares: n, index: i + 1, share });
      let ageArmored: string | null = null;
      if (recipient.kind === 'age') {
        const envelope: ShareEnvelope = {
          format: 'memory-vault-escrow-share',
          version: 1,
          vaultId: session.ports.headers.header.vaultId,
          escrowId,
          label,
          index: i + 1,
          threshold: k,
          shares: n,
          share: text,
        };
        const e = new age.Encrypter();
        e.addRecipient(recipient.recipient);
        ageArmored = age.armor.encode(await e.encrypt(JSON.stringify(envelope)));
      }
      shares.push({
        index: i + 1,
        fingerprint: shareFingerprint(share),
        recipient,
        text: recipient.kind === 'text' ? text : null,
        ageArmored,
      });
    }
    const data: EscrowData = {
      v: 1,
      recoveryKey: added.slot.recoveryKeyFingerprint,
      shares: shares.map((s) => ({ index: s.index, fingerprint: s.fingerprint, recipient: s.recipient })),
    };
    const createdAt = session.ports.clock.now();
    await session.ports.audited.runAudited(
      (tx) => {
        session.tables.escrows.insert({ id: escrowId, label, threshold: k, shares: n, data, createdAt });
        tx.noteWrite();
      },
      () => ({
        kind: 'escrow.create',
        actor: { type: 'owner', id: opts.channel ?? 'cli' },
        outcome: 'ok',
        details: {
          escrowId,
          threshold: k,
          shares: n,
          recoveryKey: data.recoveryKey,
          shareFingerprints: shares.map((s) => s.fingerprint),
          recipients: shares.map((s) => (s.recipient.kind === 'age' ? s.recipient.recipient : 'text')),
        },
      }),
    );
    return { escrowId, shares };
  } catch (e) {
    removeRecoverySlot(session, escrowId);
    throw e;
  } finally {
    zeroize(keys.profileKey, recoveryKey, ...raw);
  }
}

function summarize(session: EscrowHost, r: EscrowRow): EscrowSummary {
  const parsed = escrowDataSchema.safeParse(JSON.parse(r.data));
  if (!parsed.success) throw new VaultError('VAULT_CORRUPT', `Escrow ${r.id} has a damaged record.`);
  const slot = (session.ports.headers.profile.recovery ?? []).some((s) => s.id === r.id);
  return {
    id: r.id,
    label: r.label,
    threshold: r.threshold,
    shares: r.shares,
    createdAt: new Date(r.created_at).toISOString(),
    deletedAt: r.deleted_at === null ? null : new Date(r.deleted_at).toISOString(),
    usable: r.deleted_at === null && slot,
    invalidatedBy: parsed.data.invalidatedBy ?? null,
    shareFingerprints: parsed.data.shares.map((s) => ({
      index: s.index,
      fingerprint: s.fingerprint,
      recipient: s.recipient.kind === 'age' ? s.recipient.recipient : 'text',
    })),
  };
}

export function listEscrows(session: EscrowHost, includeDeleted = false): EscrowSummary[] {
  return session.tables.escrows.list(includeDeleted).map((r) => summarize(session, r));
}

/** Mark an escrow ended and record `escrow.delete` (with who ended it) in the same transaction. */
async function markEscrow(
  session: EscrowHost,
  id: string,
  by: NonNullable<EscrowData['invalidatedBy']>,
  channel: OwnerChannel = 'cli',
): Promise<void> {
  await session.ports.audited.runAudited(
    (tx) => {
      const marked = session.tables.escrows.markEnded(id, session.ports.clock.now(), by);
      if (marked) tx.noteWrite();
      return marked;
    },
    (marked) =>
      marked
        ? {
            kind: 'escrow.delete',
            actor: { type: 'owner', id: channel },
            outcome: 'ok',
            details: { escrowId: id, ...(by === 'owner' ? {} : { by }) },
          }
        : null,
  );
}

export async function deleteEscrow(session: EscrowHost, id: string, channel: OwnerChannel = 'cli'): Promise<EscrowSummary> {
  const row = session.tables.escrows.get(id);
  if (!row || row.deleted_at !== null) throw new VaultError('NOT_FOUND', 'No such escrow (or it is already deleted).');
  // The slot goes first: from then on no set of shares opens the vault.
  removeRecoverySlot(session, id);
  await markEscrow(session, id, 'owner', channel);
  const ended = session.tables.escrows.get(id);
  if (!ended) throw new VaultError('NOT_FOUND', 'No such escrow.');
  return summarize(session, ended);
}

/** Parse a share given as `MVS1-…` text or as the JSON an age-encrypted share file decrypts to. */
export function parseShareInput(input: string): EscrowShare {
  const trimmed = input.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new VaultError('INVALID_INPUT', 'This share file is not valid JSON.');
    }
    const env = shareEnvelopeSchema.safeParse(json);
    if (!env.success) throw new VaultError('INVALID_INPUT', 'This is not a Memory Vault escrow share file.');
    const share = decodeShare(env.data.share);
    if (share.escrowId !== env.data.escrowId || share.index !== env.data.index)
      throw new VaultError('INTEGRITY_FAILURE', 'The share file and the share inside it disagree.');
    return share;
  }
  return decodeShare(trimmed);
}

/** Decrypt an age-encrypted share file with the recipient's identity (tests; heirs use `age -d`). */
export async function openAgeShare(armored: string, identity: string): Promise<EscrowShare> {
  return parseShareInput(await openAgeArmored(armored, identity, 'This identity does not open the share file.'));
}

/** k distinct shares of one escrow → the recovery key (the caller zeroes it). */
export async function rebuildRecoveryKey(shares: readonly EscrowShare[]): Promise<{ escrowId: string; recoveryKey: Buffer }> {
  const first = shares[0];
  if (!first) throw new VaultError('INVALID_INPUT', 'Give the escrow shares to combine.');
  if (shares.some((s) => s.escrowId !== first.escrowId)) throw new VaultError('INVALID_INPUT', 'These shares belong to different escrows.');
  const distinct = new Map(shares.map((s) => [s.index, s]));
  if (distinct.size < first.threshold) {
    throw new VaultError('INVALID_INPUT', `This escrow needs ${first.threshold} different shares; ${distinct.size} given.`, {
      needed: first.threshold,
      given: distinct.size,
    });
  }
  const key = await combine([...distinct.values()].map((s) => new Uint8Array(s.share)));
  try {
    return { escrowId: first.escrowId, recoveryKey: Buffer.from(key) };
  } finally {
    key.fill(0);
  }
}

/** Recover a vault from escrow shares (or a recovery key) and set new credentials. */
export async function recoverVault(
  opts: SessionOptions & {
    dir: string;
    newCredentials: Credentials;
    kdfCost?: { opsLimit: number; memLimitBytes: number };
    channel?: OwnerChannel;
  } & ({ shares: readonly string[] } | { slotId: string; recoveryKey: Uint8Array }),
): Promise<VaultSession> {
  let slotId: string;
  let key: Buffer;
  if ('shares' in opts) {
    const rebuilt = await rebuildRecoveryKey(opts.shares.map(parseShareInput));
    slotId = rebuilt.escrowId;
    key = rebuilt.recoveryKey;
  } else {
    slotId = opts.slotId;
    key = Buffer.from(opts.recoveryKey);
  }
  try {
    const {
      shares: _s,
      slotId: _i,
      recoveryKey: _k,
      ...rest
    } = opts as typeof opts & { shares?: unknown; slotId?: unknown; recoveryKey?: unknown };
    const session = await unlockWithRecoveryKey({ ...rest, slotId, recoveryKey: key });
    // The escrow whose slot recovery consumed is marked ended, audited as escrow.delete (by: recovery).
    try {
      await markEscrow(session, slotId, 'recovery');
    } catch (e) {
      session.close();
      throw e;
    }
    return session;
  } finally {
    zeroize(key);
  }
}
