// Escrow: a recovery key split into shares, any `threshold` of which reopen the vault. Each holder
// gets one share, saved as a printable file or encrypted to the age recipient the owner types;
// main holds the shares until they are saved (or the vault locks) and never sends them here.
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { CreatedEscrowDto } from '../../../shared/recovery.contract.js';
import { Button } from '../../components/button.js';
import { QueryTable } from '../../components/query-table.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { formatTime } from '../../lib/format.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { CreateEscrowForm } from './create-escrow-form.js';

export function EscrowPanel() {
  const id = useId();
  const escrows = useQuery({ queryKey: queryKeys.escrows, queryFn: () => unwrap(vault().listEscrows()) });
  const pending = useQuery({ queryKey: queryKeys.pendingEscrows, queryFn: () => unwrap(vault().pendingEscrows()) });
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Escrow shares</h2>
      <p className="muted">
        A recovery key is split into shares for people you trust; any chosen number of them together reopen the vault if you lose your
        passphrase. The vault keeps no share, only their fingerprints.
      </p>
      {pending.data?.map((e) => (
        <HeldShares key={e.escrowId} escrow={e} />
      ))}
      <QueryTable
        query={escrows}
        loadingLabel="Loading escrows…"
        empty="No escrow yet."
        caption="Escrows of this vault"
        columns={['Label', 'Shares needed', 'Made', 'State']}
        row={(e) => (
          <tr key={e.id} data-testid="escrow-row">
            <th scope="row">{e.label}</th>
            <td>{`${e.threshold} of ${e.shares}`}</td>
            <td>{formatTime(e.createdAt)}</td>
            <td>{e.usable ? 'Usable' : `Not usable${e.invalidatedBy ? ` (${e.invalidatedBy})` : ''}`}</td>
            <td>{e.usable && <DeleteEscrowButton id={e.id} label={e.label} />}</td>
          </tr>
        )}
      />
      <CreateEscrowForm />
    </section>
  );
}

function DeleteEscrowButton({ id, label }: { id: string; label: string }) {
  const del = useAuditedMutation(queryKeys.escrows, { mutationFn: () => unwrap(vault().deleteEscrow({ escrowId: id })) });
  return (
    <>
      <Button variant="danger" onClick={() => del.mutate()} disabled={del.isPending} aria-label={`Delete escrow ${label}`}>
        Delete
      </Button>
      {del.error && <ErrorNotice error={del.error} />}
    </>
  );
}

/** The shares of a just-made escrow, each to be saved for its holder. */
function HeldShares({ escrow }: { escrow: CreatedEscrowDto }) {
  const id = useId();
  const save = useAuditedMutation(queryKeys.pendingEscrows, {
    mutationFn: (index: number) => unwrap(vault().saveEscrowShare({ escrowId: escrow.escrowId, index })),
  });
  const dismiss = useAuditedMutation(queryKeys.pendingEscrows, {
    mutationFn: () => unwrap(vault().dismissEscrowShares({ escrowId: escrow.escrowId })),
  });
  const unsaved = escrow.shares.filter((s) => s.savedAs === null).length;
  return (
    <div className="held-shares banner banner-warn" role="group" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{`Save the shares of “${escrow.label}” (any ${escrow.threshold} of ${escrow.shares.length})`}</h3>
      <p>Give each holder their own file. The shares are dropped from memory when the vault locks.</p>
      <ul className="share-list">
        {escrow.shares.map((s) => (
          <li key={s.index} data-testid="held-share">
            <span>{`Share ${s.index} — ${s.holder}`}</span>
            <span className="muted">{s.protection === 'age' ? `encrypted to ${s.recipient?.slice(0, 12) ?? ''}…` : 'printable text'}</span>
            <code title="Fingerprint: the holder can compare it">{s.fingerprint}</code>
            {s.savedAs ? (
              <span role="status">{`Saved as ${s.savedAs}`}</span>
            ) : (
              <Button onClick={() => save.mutate(s.index)} disabled={save.isPending} aria-label={`Save share ${s.index} for ${s.holder}…`}>
                Save share…
              </Button>
            )}
          </li>
        ))}
      </ul>
      {save.error && <ErrorNotice error={save.error} />}
      <Button variant={unsaved === 0 ? 'primary' : 'secondary'} onClick={() => dismiss.mutate()}>
        {unsaved === 0 ? 'Done' : `Forget the ${unsaved} unsaved share${unsaved === 1 ? '' : 's'}`}
      </Button>
    </div>
  );
}
