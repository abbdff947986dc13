// Proof-bundle export (AuditLogService.bundleExport) in a worker thread with its own read-only
// connection: one inclusion proof per exported event (O(log n) reads each) no longer runs on the
// loop that serves agents. The checkpoint is signed on the loop first; the worker only reads.
import { proofBundleSchema } from '../../core/audit/bundle.schema.js';
import type { BundleExport } from '../../core/transparency/audit-log.service.js';
import { runVaultJob, type WorkerDatabase } from './vault-worker-client.js';

export function workerBundleExport(database: WorkerDatabase, log: { readonly verifierKey: string }): BundleExport {
  return (latest, filter, fromSize, opts) =>
    runVaultJob(
      database,
      {
        kind: 'bundle-export',
        verifierKey: log.verifierKey,
        latest: { size: latest.size, note: latest.note },
        filter: { ...filter },
        ...(fromSize !== undefined ? { fromSize } : {}),
      },
      proofBundleSchema,
      opts,
      'The bundle export',
    );
}
