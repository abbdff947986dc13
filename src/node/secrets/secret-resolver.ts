// Resolving the references of one run or inject through the recall pipeline. Invariant: either
// every reference resolves (each its own `memory.use` leaf, approval and gates) or none is
// handed back — a refusal wipes the values already resolved before it propagates.
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import type { RecallOptions } from '../../core/engine/recall-pipeline.js';
import type { MemorySummary } from '../../core/model/memory.js';
import type { Requester } from '../../core/model/requester.js';
import { formatMemoryRef, parseMemoryRef } from '../../core/secrets/memory-ref.js';
import type { SecretValue } from '../../core/secrets/secret-value.js';
import type { UsePurpose } from '../../core/secrets/use-purpose.js';

export interface SecretRequest {
  /** The env variable (run) or the reference text itself (inject). */
  readonly name: string;
  readonly ref: string;
}

export interface ResolvedSecret {
  readonly name: string;
  /** Canonical reference text. */
  readonly ref: string;
  readonly memory: MemorySummary;
  readonly value: SecretValue;
  readonly auditSeq: number;
}

export interface ResolveOptions {
  readonly justification?: string;
  readonly signal?: AbortSignal;
  readonly onApprovalRequested?: RecallOptions['onApprovalRequested'];
}

export async function resolveSecrets(
  engine: Pick<VaultEngine, 'use' | 'resolveMemoryRef'>,
  requests: readonly SecretRequest[],
  requester: Requester,
  purpose: UsePurpose,
  opts: ResolveOptions = {},
): Promise<ResolvedSecret[]> {
  // Parse all first: a typo in the third reference must not cost two approvals.
  const parsed = requests.map((r) => ({ name: r.name, ref: parseMemoryRef(r.ref) }));
  const done: ResolvedSecret[] = [];
  const byRef = new Map<string, ResolvedSecret>();
  try {
    for (const { name, ref } of parsed) {
      const text = formatMemoryRef(ref);
      const same = byRef.get(text);
      if (same) {
        done.push({ ...same, name });
        continue;
      }
      const memory = engine.resolveMemoryRef(ref, requester);
      const r = await engine.use(
        {
          memoryId: memory.id,
          purpose,
          field: ref.field,
          ...(opts.justification !== undefined ? { justification: opts.justification } : {}),
        },
        requester,
        {
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.onApprovalRequested ? { onApprovalRequested: opts.onApprovalRequested } : {}),
        },
      );
      const resolved: ResolvedSecret = { name, ref: text, memory: r.memory, value: r.value, auditSeq: r.auditSeq };
      byRef.set(text, resolved);
      done.push(resolved);
    }
    return done;
  } catch (e) {
    wipeAll(done);
    throw e;
  }
}

/** Wipe every value (shared values are wiped once; wiping twice is harmless). */
export function wipeAll(secrets: readonly ResolvedSecret[]): void {
  for (const s of secrets) s.value.wipe();
}
