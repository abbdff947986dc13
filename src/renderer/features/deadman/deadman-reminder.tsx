// The dead-man switch's deadline on every tab: once it is near (or missed, in the grace period)
// the owner sees it wherever they are and can check in from there. The phase follows the clock,
// not a vault change, so nothing is pushed for it: the status is re-read every minute.
import { useQuery } from '@tanstack/react-query';
import { Button } from '../../components/button.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';

const REFRESH_MS = 60_000;
const URGENT = new Set(['warning', 'grace', 'due']);

export function DeadmanReminder({ onOpen }: { onOpen: () => void }) {
  const status = useQuery({ queryKey: queryKeys.deadman, queryFn: () => unwrap(vault().deadmanStatus()), refetchInterval: REFRESH_MS });
  const checkIn = useAuditedMutation(queryKeys.deadman, { mutationFn: () => unwrap(vault().checkInDeadman()) });
  const s = status.data;
  if (!s?.armed || !URGENT.has(s.phase)) return null;
  return (
    <section className="deadman-reminder" aria-label="Dead-man switch reminder">
      <p role="alert">{s.warnings[0] ?? 'Dead-man switch: check in soon, or packages go to your heirs.'}</p>
      {checkIn.isSuccess && <p role="status">Checked in.</p>}
      <div className="deadman-actions">
        <Button variant="primary" disabled={checkIn.isPending} onClick={() => checkIn.mutate()}>
          Check in now
        </Button>
        <Button variant="ghost" onClick={onOpen}>
          Open the dead-man switch
        </Button>
      </div>
    </section>
  );
}
