// Threat: `backup restore --replace` while `memory-vault serve` has the vault open. Before the fix
// the restore ignored the vault lock and moved the live vault aside under the server: the agent's
// next acknowledged stores went to the moved copy, not the vault the owner now uses. Now the
// restore takes the vault lock first: VAULT_BUSY (exit 34), the directory untouched, and the
// agent's stores land in the live vault.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as age from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { cliVault, serveHeadless, type CliVault, type Watched } from '../agent-api/cli-process.js';

const VAULT_BUSY_EXIT = 34; // src/cli/io/exit-codes.ts, docs/AGENT-API.md

let v: CliVault;
let serve: Watched | undefined;
let serverPid = 0;
let client: AgentClient | undefined;
let backup = '';
let idFile = '';

function siblings(): string[] {
  return readdirSync(dirname(v.dir))
    .filter((n) => n.startsWith(basename(v.dir)) || n.startsWith(`.${basename(v.dir)}`))
    .sort();
}

beforeAll(async () => {
  v = cliVault();
  const created = v.json<{ token: string }>(['agent', 'add', 'writer-bot', '--max-level', '2']);
  const identity = await age.generateX25519Identity();
  idFile = join(dirname(v.dir), 'identity.txt');
  writeFileSync(idFile, `${identity}\n`, { mode: 0o600 });
  backup = join(dirname(v.dir), 'before.mvbak');
  v.json(['backup', 'create', '--out', backup, '--age-recipient', await age.identityToRecipient(identity)]);
  serve = serveHeadless(v);
  const m = await serve.waitFor(/"event":"listening"[^\n]*"pid":(\d+)/);
  serverPid = Number(m[1]);
  client = await AgentClient.connect({ socketPath: join(v.dir, 'agent.sock'), token: created.token });
}, 60_000);

afterAll(async () => {
  client?.close();
  if (serverPid) {
    try {
      process.kill(serverPid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  if (serve) await Promise.race([serve.exited(), new Promise((r) => setTimeout(r, 10_000))]);
  v?.remove();
});

describe('restore --replace under a running serve', () => {
  it('is refused with VAULT_BUSY; the live vault is not moved and keeps receiving the agent’s stores', async () => {
    await client?.store({ content: 'before the restore attempt', level: 1, title: 'before' });
    const before = { ino: statSync(v.dir).ino, header: readFileSync(join(v.dir, 'vault.json')), siblings: siblings() };

    const r = v.cli(['--json', 'backup', 'restore', backup, '--target', v.dir, '--replace', '--age-identity', idFile]);
    expect(r.status, r.stderr).toBe(VAULT_BUSY_EXIT);
    const doc = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ok?: boolean; error?: { code?: string } };
    expect(doc).toMatchObject({ ok: false, error: { code: 'VAULT_BUSY' } });

    // Same directory (not a restored one renamed into place), same header, nothing moved aside or left staged.
    expect(statSync(v.dir).ino).toBe(before.ino);
    expect(readFileSync(join(v.dir, 'vault.json')).equals(before.header)).toBe(true);
    expect(siblings()).toEqual(before.siblings);
    expect(siblings().some((n) => n.includes('pre-restore') || n.includes('restoring'))).toBe(false);

    // The agent's next acknowledged store goes to the vault the owner will open.
    const after = await client?.store({ content: 'after the restore attempt', level: 1, title: 'after' });
    expect(after?.id).toBeTruthy();
    client?.close();
    client = undefined;
    process.kill(serverPid, 'SIGTERM');
    expect(await serve?.exited()).toBe(0);
    serverPid = 0;
    const listed = v.json<{ id: string; title?: string }[]>(['list', '--limit', '100']);
    expect(listed.map((m) => m.id)).toContain(after?.id);
  }, 120_000);
});
