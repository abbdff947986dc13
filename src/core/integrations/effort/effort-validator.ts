// Deterministic MP-02 validation (formulas in docs/INTEGRATIONS.md): the same segment always gives
// the same numbers, on any machine, with no model in the loop. Scores are evidence, not a verdict
// on the work's value; uncertainty says how little a short or disordered segment can show.
import type { EffortSegment, Signal, SignalType } from './effort-model.js';
import { SIGNAL_TYPES, WORK_SIGNAL_TYPES } from './effort-model.js';

export const VALIDATOR = { name: 'memory-vault/mp02-deterministic', version: 1 } as const;
/** A silence longer than this between two consecutive signals breaks continuity (unless a pause was signalled). */
export const GAP_LIMIT_MS = 15 * 60_000;
const MAX_BUCKETS = 10;

export interface EffortValidation {
  readonly coherence: number;
  readonly progression: number;
  readonly uncertainty: number;
  readonly summary: string;
  readonly validator: typeof VALIDATOR;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function ordered(seg: EffortSegment, end: number): boolean {
  let last = seg.startedAt;
  for (const s of seg.signals) {
    if (s.at < last || s.at > end) return false;
    last = s.at;
  }
  return true;
}

function coverage(work: readonly Signal[], start: number, end: number): number {
  if (work.length === 0) return 0;
  const span = end - start;
  if (span <= 0) return 1;
  const buckets = Math.min(MAX_BUCKETS, work.length);
  const hit = new Set<number>();
  for (const s of work) hit.add(Math.min(buckets - 1, Math.floor(((s.at - start) / span) * buckets)));
  return hit.size / buckets;
}

function novelty(work: readonly Signal[]): number {
  if (work.length === 0) return 0;
  const seen = new Set<string>();
  let novel = 0;
  for (const s of work) {
    let adds = false;
    for (const w of words(s.content)) {
      if (!seen.has(w)) {
        seen.add(w);
        adds = true;
      }
    }
    if (adds) novel++;
  }
  return novel / work.length;
}

function gapShare(all: readonly Signal[]): number {
  if (all.length < 2) return 0;
  let long = 0;
  for (let i = 1; i < all.length; i++) {
    const prev = all[i - 1] as Signal;
    const cur = all[i] as Signal;
    if (prev.type !== 'pause' && cur.at - prev.at > GAP_LIMIT_MS) long++;
  }
  return long / (all.length - 1);
}

export function summarizeEffort(
  seg: EffortSegment,
  end: number,
  scores: { coherence: number; progression: number; uncertainty: number },
): string {
  const counts = new Map<SignalType, number>();
  for (const s of seg.signals) counts.set(s.type, (counts.get(s.type) ?? 0) + 1);
  const parts = SIGNAL_TYPES.filter((t) => counts.has(t)).map((t) => `${counts.get(t)} ${t}`);
  const minutes = Math.round(Math.max(0, end - seg.startedAt) / 60_000);
  return `${seg.signals.length} signals over ${minutes} min${parts.length ? ` (${parts.join(', ')})` : ''}; coherence ${scores.coherence}, progression ${scores.progression}, uncertainty ${scores.uncertainty}.`;
}

export function validateSegment(seg: EffortSegment): EffortValidation {
  const end = seg.stoppedAt ?? (seg.signals.length ? (seg.signals[seg.signals.length - 1] as Signal).at : seg.startedAt);
  const work = seg.signals.filter((s) => WORK_SIGNAL_TYPES.has(s.type));
  const n = work.length;
  const inOrder = ordered(seg, end) ? 1 : 0;
  // Repeating the same (type, text) adds nothing: only distinct pairs count towards coherence.
  const distinct = new Set(work.map((s) => `${s.type}\n${s.content}`)).size;
  const coherence = n === 0 ? 0 : round4(inOrder * (distinct / n) * (1 - gapShare(seg.signals)));
  const progression = n === 0 ? 0 : round4(0.5 * coverage(work, seg.startedAt, end) + 0.5 * novelty(work));
  const uncertainty = round4(Math.min(1, 1 / Math.sqrt(n + 1) + 0.5 * (1 - inOrder)));
  const scores = { coherence, progression, uncertainty };
  return { ...scores, summary: summarizeEffort(seg, end, scores), validator: VALIDATOR };
}
