// The full audit check (AuditLogService.fullCheck) in a worker thread with its own read-only
// connection: the O(n) pass over every event and stored hash no longer runs on the loop that
// serves agents. The log's public verifier key and origin go with it; the signer does not.
import type { FullAuditCheck } from '../../core/transparency/audit-log.service.js';
import { auditVerificationSchema } from './vault-worker-protocol.js';
import { runVaultJob, type WorkerDatabase } from './vault-worker-client.js';

export function workerAuditCheck(database: WorkerDatabase, log: { readonly verifierKey: string; readonly origin: string }): FullAuditCheck {
  return (opts) =>
    runVaultJob(
      database,
      { kind: 'audit-verify', verifierKey: log.verifierKey, origin: log.origin },
      auditVerificationSchema,
      opts,
      'The audit verification',
    );
}
