// The dead-man switch: whether it is armed, when the next check-in is due and what happens if it
// is missed; Check in restarts the interval; arming and disarming need a touch of a security key.
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { DeadmanStatusDto } from '../../../shared/deadman.contract.js';
import { Button } from '../../components/button.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { formatTime } from '../../lib/format.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { ArmDeadmanDialog } from './arm-deadman-dialog.js';
import { DisarmDeadmanDialog } from './disarm-deadman-dialog.js';

const PHASE_TEXT: Record<DeadmanStatusDto['phase'], string> = {
  disarmed: 'Not armed',
  armed: 'Armed',
  warning: 'Armed — check in soon',
  grace: 'Deadline missed — in the grace period',
  due: 'Due for release',
  released: 'Released',
};

export function DeadmanScreen() {
  const id = useId();
  const status = useQuery({ queryKey: queryKeys.deadman, queryFn: () => unwrap(vault().deadmanStatus()) });
  const [dialog, setDialog] = useState<'arm' | 'disarm' | null>(null);
  return (
    <section className="card deadman" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Dead-man switch</h2>
      <p className="muted">
        If you stop checking in, the switch writes age-encrypted packages of the memories you chose for your heirs. The packages are sealed
        when you arm it; arming and disarming need a touch of your registered security key.
      </p>
      {status.isPending && <Loading label="Loading the dead-man switch…" />}
      {status.error && <ErrorNotice error={status.error} />}
      {status.data && <StatusPanel status={status.data} onArm={() => setDialog('arm')} onDisarm={() => setDialog('disarm')} />}
      {dialog === 'arm' && <ArmDeadmanDialog onClose={() => setDialog(null)} />}
      {dialog === 'disarm' && <DisarmDeadmanDialog onClose={() => setDialog(null)} />}
    </section>
  );
}

function StatusPanel({ status, onArm, onDisarm }: { status: DeadmanStatusDto; onArm: () => void; onDisarm: () => void }) {
  const checkIn = useAuditedMutation(queryKeys.deadman, { mutationFn: () => unwrap(vault().checkInDeadman()) });
  const live = status.phase !== 'disarmed';
  return (
    <>
      <dl className="deadman-facts" aria-label="Dead-man switch status">
        <dt>State</dt>
        <dd className={`deadman-phase deadman-phase-${status.phase}`}>{PHASE_TEXT[status.phase]}</dd>
        {status.armed && status.deadline && (
          <>
            <dt>Check in before</dt>
            <dd>{formatTime(status.deadline)}</dd>
          </>
        )}
        {status.armed && status.releaseAt && (
          <>
            <dt>Released to heirs at</dt>
            <dd>{formatTime(status.releaseAt)}</dd>
          </>
        )}
        {live && (
          <>
            <dt>Heirs</dt>
            <dd>{status.heirs.map((h) => h.name).join(', ')}</dd>
            <dt>Memories</dt>
            <dd>{`${status.memories}${status.recoveryKeyIncluded ? ' and a recovery key' : ''}`}</dd>
            <dt>Release folder</dt>
            <dd className="deadman-path">{status.releaseDir}</dd>
          </>
        )}
        {status.released && (
          <>
            <dt>Released</dt>
            <dd>{`${formatTime(status.released.at)}: ${status.released.files.join(', ')}`}</dd>
          </>
        )}
      </dl>
      {status.warnings.map((w) => (
        <p key={w} className="state state-warning" role="alert">
          {w}
        </p>
      ))}
      {checkIn.isSuccess && status.armed && (
        <p className="state" role="status">
          Checked in. The interval starts again now.
        </p>
      )}
      {checkIn.error && <ErrorNotice error={checkIn.error} prefix="Check-in failed" />}
      <div className="deadman-actions">
        {status.armed ? (
          <>
            <Button variant="primary" disabled={checkIn.isPending} onClick={() => checkIn.mutate()}>
              Check in
            </Button>
            <Button variant="danger" onClick={onDisarm}>
              Disarm…
            </Button>
          </>
        ) : (
          <Button variant="primary" onClick={onArm}>
            {status.released ? 'Arm again…' : 'Arm…'}
          </Button>
        )}
      </div>
    </>
  );
}
