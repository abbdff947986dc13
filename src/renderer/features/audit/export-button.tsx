// Export a proof bundle for an auditor. Main picks the destination (a save dialog in Electron)
// and reports where it wrote the file.
import { useMutation } from '@tanstack/react-query';
import type { AuditFilterDto } from '../../../shared/audit.contract.js';
import { Button } from '../../components/button.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';

export function ExportButton({ filter }: { filter: AuditFilterDto }) {
  const m = useMutation({ mutationFn: () => unwrap(vault().exportAuditBundle({ filter })) });
  return (
    <div className="export">
      <Button variant="primary" disabled={m.isPending} onClick={() => m.mutate()}>
        {m.isPending ? 'Exporting…' : 'Export proof bundle'}
      </Button>
      {m.data?.saved && (
        <p className="state" role="status" data-testid="export-result">
          Wrote {m.data.events} events with proofs to <code data-testid="export-path">{m.data.path}</code>
        </p>
      )}
      {m.data && !m.data.saved && <p className="state">Export cancelled.</p>}
      {m.error && <ErrorNotice error={m.error} />}
    </div>
  );
}
