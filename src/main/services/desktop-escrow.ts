// Escrow from the desktop window over src/node/escrow (the code behind `escrow create|list|delete`).
// Invariants: a created escrow's shares are held here, in main, only until the owner has saved
// them or the vault locks — never in the vault, never sent to the renderer (which sees holder,
// fingerprint and where each was saved); each share file is written once (exclusive create,
// mode 0600) where the owner chooses; an age holder's file is encrypted to the recipient typed.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { EscrowRecipient } from '../../core/escrow/escrow-record.js';
import { VaultError } from '../../core/errors.js';
import { createEscrow, deleteEscrow, listEscrows, type EscrowSummary } from '../../node/escrow/escrow.service.js';
import type { CreatedEscrowDto, EscrowHolderDto, EscrowSummaryDto } from '../../shared/recovery.contract.js';
import type { OwnerCredentialDto } from '../../shared/vault.contract.js';
import type { DesktopBackend } from './desktop-backend.service.js';

interface HeldShare {
  readonly index: number;
  readonly holder: string;
  readonly recipient: string | null;
  readonly fingerprint: string;
  readonly fileText: string;
  savedAs: string | null;
}

interface HeldEscrow {
  readonly escrowId: string;
  readonly label: string;
  readonly threshold: number;
  readonly shares: HeldShare[];
}

/** A holder's name as a file-name part: letters, digits and dashes only. */
function fileSafe(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .toLowerCase() || 'holder'
  );
}

function toSummaryDto(e: EscrowSummary): EscrowSummaryDto {
  return {
    id: e.id,
    label: e.label,
    threshold: e.threshold,
    shares: e.shares,
    createdAt: e.createdAt,
    usable: e.usable,
    invalidatedBy: e.invalidatedBy ?? null,
  };
}

export class DesktopEscrows {
  private readonly held = new Map<string, HeldEscrow>();

  constructor(private readonly backend: DesktopBackend) {
    // Unsaved shares do not outlive the unlocked session.
    backend.onDidLock(() => this.held.clear());
  }

  list(): EscrowSummaryDto[] {
    return listEscrows(this.backend.currentSession()).map(toSummaryDto);
  }

  pending(): CreatedEscrowDto[] {
    this.backend.currentSession();
    return [...this.held.values()].map(toCreatedDto);
  }

  async create(args: {
    credential: OwnerCredentialDto;
    label: string;
    threshold: number;
    holders: readonly EscrowHolderDto[];
  }): Promise<CreatedEscrowDto> {
    const session = this.backend.currentSession();
    const recipients = args.holders.map((h): EscrowRecipient =>
      h.kind === 'age' ? { kind: 'age', recipient: h.recipient } : { kind: 'text' },
    );
    const created = await this.backend.withOwnerCredentials(args.credential, 'escrow', (credentials) =>
      createEscrow(session, { credentials, label: args.label, threshold: args.threshold, recipients, channel: 'desktop' }),
    );
    const held: HeldEscrow = {
      escrowId: created.escrowId,
      label: args.label.trim(),
      threshold: args.threshold,
      shares: created.shares.map((s, i) => ({
        index: s.index,
        holder: args.holders[i]?.name ?? `holder ${s.index}`,
        recipient: s.recipient.kind === 'age' ? s.recipient.recipient : null,
        fingerprint: s.fingerprint,
        fileText: s.ageArmored ?? `${s.text ?? ''}\n`,
        savedAs: null,
      })),
    };
    this.held.set(held.escrowId, held);
    return toCreatedDto(held);
  }

  async saveShare(escrowId: string, index: number): Promise<CreatedEscrowDto | null> {
    const share = this.heldShare(escrowId, index);
    const ext = share.recipient ? 'age' : 'txt';
    const path = await this.backend.chooseFile({
      purpose: 'share-save',
      suggestedName: `share-${escrowId.slice(0, 8)}-${index}-${fileSafe(share.holder)}.${ext}`,
    });
    if (path === null) return null;
    // Still held after the dialog (a lock meanwhile drops every share).
    const still = this.heldShare(escrowId, index);
    try {
      writeFileSync(path, still.fileText, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      const exists = typeof e === 'object' && e !== null && 'code' in e && e.code === 'EEXIST';
      throw new VaultError(
        'INVALID_INPUT',
        exists ? 'A file of that name already exists: choose another.' : 'The share file cannot be written there.',
      );
    }
    still.savedAs = basename(path);
    return toCreatedDto(this.requireHeld(escrowId));
  }

  dismiss(escrowId: string): { dismissed: boolean } {
    this.backend.currentSession();
    return { dismissed: this.held.delete(escrowId) };
  }

  async delete(escrowId: string): Promise<EscrowSummaryDto> {
    const r = await deleteEscrow(this.backend.currentSession(), escrowId, 'desktop');
    this.held.delete(escrowId);
    return toSummaryDto(r);
  }

  private requireHeld(escrowId: string): HeldEscrow {
    this.backend.currentSession();
    const e = this.held.get(escrowId);
    if (!e) throw new VaultError('NOT_FOUND', 'The shares of that escrow are no longer held: they are dropped when the vault locks.');
    return e;
  }

  private heldShare(escrowId: string, index: number): HeldShare {
    const s = this.requireHeld(escrowId).shares.find((x) => x.index === index);
    if (!s) throw new VaultError('NOT_FOUND', 'No such share.');
    return s;
  }
}

function toCreatedDto(e: HeldEscrow): CreatedEscrowDto {
  return {
    escrowId: e.escrowId,
    label: e.label,
    threshold: e.threshold,
    shares: e.shares.map((s) => ({
      index: s.index,
      holder: s.holder,
      protection: s.recipient ? 'age' : 'text',
      recipient: s.recipient,
      fingerprint: s.fingerprint,
      savedAs: s.savedAs,
    })),
  };
}
