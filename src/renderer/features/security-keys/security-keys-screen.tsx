// The owner's FIDO2 security keys (they protect level-5 memories and arm the dead-man switch):
// each with its name, sign counter, last use and the memories bound to it; register, rename, revoke.
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { SecurityKeyDto } from '../../../shared/security-keys.contract.js';
import { Button } from '../../components/button.js';
import { QueryTable } from '../../components/query-table.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { formatTime } from '../../lib/format.js';
import { queryKeys } from '../../lib/query-keys.js';
import { RegisterKeyDialog } from './register-key-dialog.js';
import { RenameKeyDialog } from './rename-key-dialog.js';
import { RevokeKeyDialog } from './revoke-key-dialog.js';

type Dialog = { kind: 'register' } | { kind: 'rename'; key: SecurityKeyDto } | { kind: 'revoke'; key: SecurityKeyDto } | null;

export function SecurityKeysScreen() {
  const id = useId();
  const [showRevoked, setShowRevoked] = useState(false);
  const keys = useQuery({
    queryKey: [...queryKeys.securityKeys, showRevoked],
    queryFn: () => unwrap(vault().listSecurityKeys({ includeRevoked: showRevoked })),
  });
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  return (
    <section className="card security-keys" aria-labelledby={`${id}-h`}>
      <div className="section-header">
        <h2 id={`${id}-h`}>Security keys</h2>
        <Button variant="primary" onClick={() => setDialog({ kind: 'register' })}>
          Register a key…
        </Button>
      </div>
      <p className="muted">
        A registered FIDO2 key protects level-5 memories (each recall needs a touch) and arms the dead-man switch. The sign counter rises
        with every use; a counter that goes back means the key may have been cloned.
      </p>
      <label className="checkbox-row">
        <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
        Show revoked keys
      </label>
      <QueryTable
        query={keys}
        loadingLabel="Loading security keys…"
        empty="No security keys registered. Plug in a FIDO2 key and register it to use level 5."
        caption="Registered security keys with their sign counter and last use"
        columns={['Name', 'Sign counter', 'Last used', 'Registered', 'Level-5 memories']}
        row={(k) => (
          <KeyRow
            key={k.id}
            securityKey={k}
            onRename={() => setDialog({ kind: 'rename', key: k })}
            onRevoke={() => setDialog({ kind: 'revoke', key: k })}
          />
        )}
      />
      {dialog?.kind === 'register' && <RegisterKeyDialog onClose={close} />}
      {dialog?.kind === 'rename' && <RenameKeyDialog securityKey={dialog.key} onClose={close} />}
      {dialog?.kind === 'revoke' && <RevokeKeyDialog securityKey={dialog.key} onClose={close} />}
    </section>
  );
}

function KeyRow({ securityKey: k, onRename, onRevoke }: { securityKey: SecurityKeyDto; onRename: () => void; onRevoke: () => void }) {
  return (
    <tr data-testid="security-key-row">
      <th scope="row">
        <span className="key-name">{k.name}</span>
        <span className="muted key-id">{k.shortId}</span>
        {k.userVerification && <span className="key-flag">PIN</span>}
        {k.cloneSuspected && <span className="key-flag key-flag-danger">Possible clone</span>}
        {k.armsDeadman && <span className="key-flag">Armed the dead-man switch</span>}
        {k.revokedAt && <span className="key-flag">{`Revoked ${formatTime(k.revokedAt)}`}</span>}
      </th>
      <td>{k.signCount}</td>
      <td>{k.lastUsedAt ? formatTime(k.lastUsedAt) : <span className="muted">Never</span>}</td>
      <td>{formatTime(k.createdAt)}</td>
      <td>{k.boundMemories}</td>
      <td>
        {k.revokedAt === null && (
          <div className="row-actions">
            <Button onClick={onRename} aria-label={`Rename ${k.name}…`}>
              Rename…
            </Button>
            <Button variant="danger" onClick={onRevoke} aria-label={`Revoke ${k.name}…`}>
              Revoke…
            </Button>
          </div>
        )}
      </td>
    </tr>
  );
}
