// Top-level routing by vault state: first run → unlock → the workspace (memories, audit, agents,
// settings),
// with the approval queue above everything and lockdown always in the header.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from './components/button.js';
import { ErrorNotice, Loading } from './components/states.js';
import { ApprovalQueue } from './features/approvals/approval-queue.js';
import { usePendingApprovals } from './features/approvals/use-approvals.js';
import { LockdownControl } from './features/lockdown/lockdown-control.js';
import { FirstRunScreen, UnlockScreen } from './features/vault/gate-screens.js';
import { useVaultStatus } from './features/vault/use-vault-status.js';
import { unwrap, vault } from './lib/bridge.js';
import { SECTIONS } from './sections.js';

export function App() {
  const status = useVaultStatus();
  if (status.isPending) return <Loading label="Opening Memory Vault…" />;
  if (status.error) return <ErrorNotice error={status.error} />;
  switch (status.data.state) {
    case 'absent':
      return <FirstRunScreen vaultDir={status.data.vaultDir} />;
    case 'locked':
      return <UnlockScreen />;
    case 'unlocked':
      return <Workspace />;
    default: {
      const never: never = status.data.state;
      return never;
    }
  }
}

function Workspace() {
  const [tab, setTab] = useState<string>(SECTIONS[0]?.id ?? 'memories');
  const client = useQueryClient();
  const pending = usePendingApprovals();
  const lock = useMutation({ mutationFn: () => unwrap(vault().lock()), onSuccess: () => client.invalidateQueries() });
  const count = pending.data?.length ?? 0;
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Memory Vault</span>
        <nav aria-label="Sections" className="tabs">
          {SECTIONS.map((t) => (
            <Button key={t.id} variant="ghost" aria-current={tab === t.id ? 'page' : undefined} onClick={() => setTab(t.id)}>
              {t.label}
            </Button>
          ))}
        </nav>
        <span className="pending-count" role="status">
          {count === 0 ? 'No pending approvals' : `${count} pending approval${count === 1 ? '' : 's'}`}
        </span>
        <Button onClick={() => lock.mutate()}>Lock</Button>
        <LockdownControl />
      </header>
      <main className="content">
        <TabContent tab={tab} />
      </main>
      <ApprovalQueue />
    </div>
  );
}

function TabContent({ tab }: { tab: string }) {
  const section = SECTIONS.find((s) => s.id === tab) ?? SECTIONS[0];
  return section ? section.render() : <></>;
}
