// Progress of the owner's long operations (backup, verify, restore, key rotation), as main pushes
// it. One subscription for the whole window, kept outside React: a rotation locks the vault and
// unmounts the screen that started it, and the locked screen must still see how it ended.
import { useSyncExternalStore } from 'react';
import type { OperationProgressDto } from '../../shared/progress.contract.js';
import { vault } from '../lib/bridge.js';

type Operation = OperationProgressDto['operation'];

const latest = new Map<Operation, OperationProgressDto>();
const listeners = new Set<() => void>();
let subscribed = false;

function subscribe(listener: () => void): () => void {
  if (!subscribed) {
    subscribed = true;
    vault().onOperationProgress((p) => {
      latest.set(p.operation, p);
      for (const l of listeners) l();
    });
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Forget the last run of an operation (a new one is about to start). */
export function resetProgress(operation: Operation): void {
  latest.delete(operation);
  for (const l of listeners) l();
}

/** The workspace is showing again: a notice about an operation that locked the vault has been read. */
export function clearRelocked(): void {
  for (const [op, p] of latest) if (p.relock === true) latest.delete(op);
  for (const l of listeners) l();
}

export function useOperationProgress(operation: Operation): OperationProgressDto | null {
  return useSyncExternalStore(subscribe, () => latest.get(operation) ?? null);
}

function percent(p: OperationProgressDto): number {
  if (p.phase === 'done') return 100;
  return p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 0;
}

/** A labelled bar for one operation; nothing until it has started. `phases` names the phases for people. */
export function OperationProgress({
  operation,
  label,
  phases = {},
}: {
  operation: Operation;
  label: string;
  phases?: Readonly<Record<string, string>>;
}) {
  const p = useOperationProgress(operation);
  if (!p) return null;
  const pct = percent(p);
  const words = p.phase === 'done' ? 'Finished' : p.phase === 'failed' ? 'Stopped' : (phases[p.phase] ?? 'Working');
  return (
    <div className="op-progress" data-testid={`progress-${operation}`} data-phase={p.phase}>
      <progress aria-label={label} max={100} value={pct} />
      <span className="muted" aria-live="polite">{`${words} — ${pct}%`}</span>
    </div>
  );
}
