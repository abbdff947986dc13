// The verdict of a full verification: every leaf recomputed, every checkpoint signature checked.
import { useQuery } from '@tanstack/react-query';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

export function IntegrityBanner() {
  const v = useQuery({ queryKey: queryKeys.auditVerify, queryFn: () => unwrap(vault().verifyAudit()) });
  if (v.isPending) {
    return (
      <p className="banner banner-neutral" role="status">
        Verifying the audit log…
      </p>
    );
  }
  if (v.error) return <ErrorNotice error={v.error} prefix="Verification failed" />;
  const r = v.data;
  if (r.ok) {
    return (
      <p className="banner banner-ok" role="status" data-testid="integrity-banner">
        Integrity verified: {r.events} events, up to checkpoint {r.verifiedCheckpointSize} ({r.checkpoints} signed checkpoints).
      </p>
    );
  }
  return (
    <p className="banner banner-bad" role="alert" data-testid="integrity-banner">
      Tamper detected at event {r.damage?.index ?? '?'} ({r.damage?.kind ?? 'unknown'}): {r.damage?.detail ?? ''} Verified up to checkpoint{' '}
      {r.verifiedCheckpointSize}.
    </p>
  );
}
