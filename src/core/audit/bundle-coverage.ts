// Completeness of a proof bundle (issue 14 item 5). Invariant: when a bundle states index ranges,
// its events are exactly the leaves of those ranges, each once, in ascending order — so a verifier
// that also proves every event's inclusion knows that nothing inside a range was dropped,
// duplicated or reordered. Per-event inclusion proofs alone cannot tell that: each position is
// proven, but not that every position is there.
//
// The ranges are not signed. They are a claim the auditor compares with what they asked for (or
// with the checkpoint size: a range 0..size-1 is "the whole log"). Whatever the ranges say, the
// events must match them exactly; changing the claim changes what the verifiers print.

export interface IndexRange {
  /** First leaf index of the range, inclusive. */
  readonly from: number;
  /** Last leaf index of the range, inclusive. */
  readonly to: number;
}

export type CoverageFailure =
  | { readonly kind: 'bad-range'; readonly range: number; readonly message: string }
  | { readonly kind: 'duplicate-event'; readonly index: number; readonly message: string }
  | { readonly kind: 'out-of-order-event'; readonly index: number; readonly message: string }
  | { readonly kind: 'event-outside-ranges'; readonly index: number; readonly message: string }
  | { readonly kind: 'missing-events'; readonly from: number; readonly to: number; readonly message: string };

const span = (from: number, to: number): string => (from === to ? `event ${from}` : `events ${from}–${to}`);

/**
 * The maximal runs of consecutive indices in a strictly ascending list: the honest ranges of a
 * bundle built from exactly those events. Throws on a list that is not strictly ascending.
 */
export function rangesOf(indexes: readonly number[]): IndexRange[] {
  const ranges: { from: number; to: number }[] = [];
  let previous: number | undefined;
  for (const index of indexes) {
    if (previous !== undefined && index <= previous) throw new RangeError(`indexes are not strictly ascending at ${index}`);
    const last = ranges.at(-1);
    if (last !== undefined && index === last.to + 1) last.to = index;
    else ranges.push({ from: index, to: index });
    previous = index;
  }
  return ranges;
}

/**
 * Checks that the ranges are well formed (ascending, disjoint, within the tree of `treeSize` when
 * known) and that `indexes` — the bundle's events in file order — are exactly their concatenation.
 * Never iterates over a claimed range, so a hostile range of 2^53 leaves costs nothing.
 */
export function checkCoverage(ranges: readonly IndexRange[], indexes: readonly number[], treeSize: number | undefined): CoverageFailure[] {
  const failures: CoverageFailure[] = [];
  ranges.forEach((r, i) => {
    const prev = ranges[i - 1];
    if (r.from > r.to) failures.push({ kind: 'bad-range', range: i, message: `range ${r.from}–${r.to} ends before it starts` });
    else if (prev !== undefined && r.from <= prev.to)
      failures.push({
        kind: 'bad-range',
        range: i,
        message: `range ${r.from}–${r.to} does not start after the previous range ${prev.from}–${prev.to}`,
      });
    if (treeSize !== undefined && r.to >= treeSize)
      failures.push({ kind: 'bad-range', range: i, message: `range ${r.from}–${r.to} reaches beyond the tree of size ${treeSize}` });
  });
  failures.push(...checkOrder(indexes));
  // Gaps in unsorted or overlapping ranges would only repeat the range failure.
  if (failures.some((f) => f.kind === 'bad-range')) return failures;
  // Membership by binary search over the (now known sorted, disjoint) ranges.
  const present = [...new Set(indexes)].sort((a, b) => a - b);
  for (const index of present) {
    if (rangeContaining(ranges, index) === undefined) {
      failures.push({ kind: 'event-outside-ranges', index, message: `event ${index} is not in any range the bundle states` });
    }
  }
  // One merge pass over both sorted lists: O(ranges + events).
  let p = 0;
  for (const r of ranges) {
    let next = r.from; // the lowest index of r not yet seen
    while (p < present.length && (present[p] ?? 0) < r.from) p++;
    for (; p < present.length && (present[p] ?? 0) <= r.to; p++) {
      const index = present[p] ?? 0;
      if (index > next) failures.push(missing(next, index - 1));
      next = index + 1;
    }
    if (next <= r.to) failures.push(missing(next, r.to));
  }
  return failures;
}

function missing(from: number, to: number): CoverageFailure {
  return { kind: 'missing-events', from, to, message: `${span(from, to)} missing from a stated range` };
}

/** Every event at most once, in strictly ascending index order (required with or without ranges). */
export function checkOrder(indexes: readonly number[]): CoverageFailure[] {
  const failures: CoverageFailure[] = [];
  const seen = new Set<number>();
  let highest = -1;
  for (const index of indexes) {
    if (seen.has(index)) failures.push({ kind: 'duplicate-event', index, message: `event ${index} appears more than once` });
    else if (index < highest) failures.push({ kind: 'out-of-order-event', index, message: `event ${index} comes after event ${highest}` });
    seen.add(index);
    highest = Math.max(highest, index);
  }
  return failures;
}

function rangeContaining(ranges: readonly IndexRange[], index: number): IndexRange | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (r === undefined) return undefined;
    if (index < r.from) hi = mid - 1;
    else if (index > r.to) lo = mid + 1;
    else return r;
  }
  return undefined;
}

/** Human form of a range list, e.g. "0–999, 1204". */
export function describeRanges(ranges: readonly IndexRange[]): string {
  return ranges.length === 0 ? 'none' : ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`)).join(', ');
}
