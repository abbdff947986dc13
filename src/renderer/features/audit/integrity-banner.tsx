// The verdict of a full verification: every leaf recomputed, every checkpoint signature checked.
// One query serves both views: the full verdict on the audit tab, and — when tampering is found —
// an alert in the app shell on every tab, saying what to do next.
import { useQuery } from '@tanstack/react-query';
import type { AuditVerificationDto } from '../../../shared/audit.contract.js';
import { Button } from '../../components/button.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

function useIntegrity() {
  return useQuery({ queryKey: queryKeys.auditVerify, queryFn: () => unwrap(vault().verifyAudit()) });
}

function tamperSummary(r: AuditVerificationDto): string {
  const detail = r.damage?.detail ?? '';
  const sentence = /[.!?]$/.test(detail) || detail === '' ? detail : `${detail}.`;
  return `Tamper detected at event ${r.damage?.index ?? '?'} (${r.damage?.kind ?? 'unknown'}): ${sentence} Verified up to checkpoint ${r.verifiedCheckpointSize}.`;
}

/** What the owner should do when the log does not verify (DESIGN: the log is the evidence). */
function NextSteps({ verifiedUpTo }: { verifiedUpTo: number }) {
  return (
    <ol className="next-steps">
      <li>Engage Lockdown so no agent can read while you investigate.</li>
      <li>Export a proof bundle now and keep it: it is your evidence of what the log held.</li>
      <li>{`Trust events only up to checkpoint ${verifiedUpTo}. Check who had access to this computer and the vault directory.`}</li>
      <li>Restore the vault from a backup that verifies, then rotate the vault key.</li>
    </ol>
  );
}

export function IntegrityBanner() {
  const v = useIntegrity();
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
    <div className="banner banner-bad" role="alert" data-testid="integrity-banner">
      <p>{tamperSummary(r)}</p>
      <NextSteps verifiedUpTo={r.verifiedCheckpointSize} />
    </div>
  );
}

/** In the app shell: nothing while the log verifies; on tampering, the verdict and the next steps on every tab. */
export function IntegrityAlert({ onOpenAudit }: { onOpenAudit: () => void }) {
  const v = useIntegrity();
  if (!v.data || v.data.ok) return null;
  return (
    <div className="banner banner-bad integrity-alert" role="alert" data-testid="integrity-alert">
      <p>{`The audit log failed verification. ${tamperSummary(v.data)}`}</p>
      <NextSteps verifiedUpTo={v.data.verifiedCheckpointSize} />
      <Button onClick={onOpenAudit}>Open the audit log</Button>
    </div>
  );
}
