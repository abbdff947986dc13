// An integrity failure or a damaged database is audited and turns lockdown on where the log
// still takes appends (a shortened log does). Invariant: the external checkpoint record is
// detached first, so these leaves never move it and the next unlock fails the same way.
import { VaultError } from '../../core/errors.js';
import type { VaultEngine } from '../../core/engine/vault-engine.js';

/** Best effort: a log that cannot be written is reported by the caller's error alone. */
export async function auditIntegrityFailure(engine: VaultEngine, e: unknown): Promise<void> {
  if (!(e instanceof VaultError) || (e.code !== 'INTEGRITY_FAILURE' && e.code !== 'VAULT_CORRUPT')) return;
  // Keep the record as evidence: nothing this session appends may move it.
  engine.auditLog.checkpointer.recorder = null;
  try {
    await engine.recordEvent({
      kind: 'integrity.failure',
      actor: { type: 'system', id: 'integrity-check' },
      outcome: 'error',
      code: 'INTEGRITY_FAILURE',
      reason: e.message,
      details: e.details,
    });
    await engine.lockdownOn(
      { kind: 'system', component: 'integrity-check' },
      e.code === 'VAULT_CORRUPT' ? 'The vault database is damaged.' : 'The audit log failed its integrity check.',
    );
  } catch {
    // Not writable: the caller still hears INTEGRITY_FAILURE.
  }
}
