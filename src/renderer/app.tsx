// Top-level routing by vault state: first run → unlock → the workspace (the sections of
// sections.tsx in a side nav), with the approval queue above everything, lockdown always in the
// header, and a failed audit verification shown on every tab.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from './components/button.js';
import { clearRelocked } from './components/operation-progress.js';
import { ErrorNotice, Loading } from './components/states.js';
import { ApprovalQueue } from './features/approvals/approval-queue.js';
import { PendingBadge } from './features/approvals/pending-badge.js';
import { IntegrityAlert } from './features/audit/integrity-banner.js';
import { DeadmanReminder } from './features/deadman/deadman-reminder.js';
import { InboxNotices } from './features/inbox/inbox-notices.js';
import { KeyTouchDialog } from './features/key-touch/key-touch-dialog.js';
import { LockdownControl } from './features/lockdown/lockdown-control.js';
import { RelockNotice } from './features/recovery/relock-notice.js';
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
      return (
        <>
          <RelockNotice />
          <UnlockScreen source={status.data.keySource} />
        </>
      );
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
  const lock = useMutation({ mutationFn: () => unwrap(vault().lock()), onSuccess: () => client.invalidateQueries() });
  // Unlocked again: the notice about a rotation or restore that locked the vault has been read.
  useEffect(clearRelocked, []);
  return (
    <div className="app">
      {/* The header holds only what must be one click from everywhere; the sections live in a
          side nav, so the header fits the window's minimum width (820 px) however many there are. */}
      <header className="topbar">
        <span className="brand">Memory Vault</span>
        <PendingBadge />
        <span className="topbar-actions">
          <Button onClick={() => lock.mutate()}>Lock</Button>
          <LockdownControl />
        </span>
      </header>
      <div className="workspace">
        <nav aria-label="Sections" className="side-nav">
          {SECTIONS.map((t) => (
            <Button key={t.id} variant="ghost" aria-current={tab === t.id ? 'page' : undefined} onClick={() => setTab(t.id)}>
              {t.label}
            </Button>
          ))}
        </nav>
        <main className="content">
          {tab !== 'audit' && <IntegrityAlert onOpenAudit={() => setTab('audit')} />}
          {tab !== 'deadman' && <DeadmanReminder onOpen={() => setTab('deadman')} />}
          <InboxNotices />
          <TabContent tab={tab} />
        </main>
      </div>
      <ApprovalQueue />
      <KeyTouchDialog />
    </div>
  );
}

function TabContent({ tab }: { tab: string }) {
  const section = SECTIONS.find((s) => s.id === tab) ?? SECTIONS[0];
  return section ? section.render() : <></>;
}
