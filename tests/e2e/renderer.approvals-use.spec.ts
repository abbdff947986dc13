// Issue 19 in the real renderer: an agent asks over the vault socket to run an allowlisted
// command with a level-3 secret (memory.use). The desktop approval dialog says "To run `…`" with
// the exact command line — argument boundaries quoted, agent-chosen control characters shown
// escaped — and its directory; approving runs the command and the agent gets only masked output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CommandAllowlist } from '../../src/node/agent-api/command-allowlist.service.js';
import type { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { checkScreen } from './support/checks.js';
import { startVaultApp, type VaultApp } from './support/vault-app.js';

let app: VaultApp;
let cwd: string;
test.afterEach(async () => {
  await app?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

const SCRIPT = 'console.log("connected with", process.env.PGPASSWORD)';

test('the approval dialog shows the command line a use request will run', async ({ page }) => {
  cwd = mkdtempSync(join(tmpdir(), 'mv-e2e-use-'));
  let allowlist: CommandAllowlist | null = null;
  app = await startVaultApp(page, {
    onServer: (session, server) => (allowlist = new CommandAllowlist(session.tables.agentCommands, session.engine, server.registry)),
  });
  const m = await app.backend.engine.store(
    { content: 'pg-secret-7c1d', level: 3, title: 'Orders DB password', namespace: 'infra' },
    { kind: 'owner', channel: 'desktop' },
  );
  const client: AgentClient = await app.agent({ name: 'Deploy Bot', maxLevel: 3 });
  const agentId = (await client.health()).agent.agentId;
  if (!allowlist) throw new Error('no agent server');
  const list: CommandAllowlist = allowlist;
  const entry = await list.allow(
    agentId,
    { exec: process.execPath, args: ['-e', SCRIPT, '{label:text}'], cwd, timeoutMs: 20_000, envNames: ['PGPASSWORD'] },
    'cli',
  );
  await app.open();

  const use = client.use({
    command: { commandId: entry.id, args: { label: 'nightly report\u001b[31m' } },
    env: { PGPASSWORD: `mv://infra/${m.id}` },
    justification: 'Nightly orders report',
  });
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { level: 2 })).toContainText('asks to use a memory in a command');
  await expect(dialog.getByTestId('approval-command-line')).toHaveText(`${process.execPath} -e '${SCRIPT}' 'nightly report\\x1b[31m'`);
  await expect(dialog.getByTestId('approval-command-cwd')).toHaveText(cwd);
  await expect(dialog.getByTestId('approval-justification')).toHaveText('Nightly orders report');
  await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused();
  await checkScreen(page, 'approval-dialog-use');

  const pending = await use;
  if (pending.status !== 'pending') throw new Error(`expected pending, got ${pending.status}`);
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Approve' })).not.toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const done = await client.wait(pending.requestId, 30_000);
  expect(done).toMatchObject({ status: 'ok', exitCode: 0, stdout: { text: 'connected with <concealed by memory-vault>\n' } });
});
