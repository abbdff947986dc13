// The workspace's sections, in one table: each screen adds one row here and the header and the
// content area follow it, so adding a screen never edits the layout.
import type { ReactElement } from 'react';
import { AgentsScreen } from './features/agents/agents-screen.js';
import { GrantsPanel } from './features/agents/grants-panel.js';
import { AuditBrowser } from './features/audit/audit-browser.js';
import { BackupScreen } from './features/backup/backup-screen.js';
import { DeadmanScreen } from './features/deadman/deadman-screen.js';
import { InboxScreen } from './features/inbox/inbox-screen.js';
import { MemoryBrowser } from './features/memories/memory-browser.js';
import { RecoveryScreen } from './features/recovery/recovery-screen.js';
import { SecurityKeysScreen } from './features/security-keys/security-keys-screen.js';
import { SettingsScreen } from './features/settings/settings-screen.js';

export interface Section {
  readonly id: string;
  readonly label: string;
  readonly render: () => ReactElement;
}

export const SECTIONS: readonly Section[] = [
  { id: 'memories', label: 'Memories', render: () => <MemoryBrowser /> },
  { id: 'inbox', label: 'Inbox', render: () => <InboxScreen /> },
  { id: 'audit', label: 'Audit log', render: () => <AuditBrowser /> },
  {
    id: 'agents',
    label: 'Agents',
    render: () => (
      <>
        <AgentsScreen />
        <GrantsPanel />
      </>
    ),
  },
  { id: 'security-keys', label: 'Security keys', render: () => <SecurityKeysScreen /> },
  { id: 'deadman', label: 'Dead-man', render: () => <DeadmanScreen /> },
  { id: 'backup', label: 'Backup', render: () => <BackupScreen /> },
  { id: 'recovery', label: 'Recovery', render: () => <RecoveryScreen /> },
  { id: 'settings', label: 'Settings', render: () => <SettingsScreen /> },
];
