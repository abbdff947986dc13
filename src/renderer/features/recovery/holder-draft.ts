// One escrow holder as the form edits it, checked and turned into the request's shape.
import type { EscrowHolderDto } from '../../../shared/recovery.contract.js';

export type HolderDraft = { name: string; kind: EscrowHolderDto['kind']; recipient: string };

export function toHolder(h: HolderDraft): EscrowHolderDto {
  return h.kind === 'age' ? { kind: 'age', name: h.name.trim(), recipient: h.recipient.trim() } : { kind: 'file', name: h.name.trim() };
}

export function holderProblem(h: HolderDraft, i: number): string | null {
  if (h.name.trim() === '') return `Name holder ${i + 1}.`;
  if (h.kind === 'age' && !/^age1[0-9a-z]{58}$/.test(h.recipient.trim()))
    return `Holder ${i + 1}'s age recipient looks wrong: it starts with age1 and has 62 characters.`;
  return null;
}
