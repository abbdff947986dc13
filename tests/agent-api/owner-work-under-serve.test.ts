// Issue 16: while `memory-vault serve` held the vault, `audit verify`, `audit export` and
// `backup create` answered VAULT_BUSY, so a vault that is always served could not be checked or
// backed up from the CLI. Now they log in on the server's owner socket (OPAQUE) and the server
// does the work on its open session (src/node/agent-api/owner-vault-work.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as age from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { cliVault, serveHeadless, stopServed, type CliVault, type Watched } from './cli-process.js';

let v: CliVault;
let serve: Watched | undefined;
let serverPid = 0;
let client: AgentClient | undefined;
let recipient = '';
let idFile = '';

beforeAll(async () => {
  v = cliVault();
  const created = v.json<{ token: string }>(['agent', 'add', 'writer-bot', '--max-level', '2']);
  const identity = await age.generateX25519Identity();
  recipient = await age.identityToRecipient(identity);
  idFile = join(dirname(v.dir), 'identity.txt');
  writeFileSync(idFile, `${identity}\n`, { mode: 0o600 });
  serve = serveHeadless(v);
  const m = await serve.waitFor(/"event":"listening"[^\n]*"pid":(\d+)/);
  serverPid = Number(m[1]);
  client = await AgentClient.connect({ socketPath: join(v.dir, 'agent.sock'), token: created.token });
  await client.store({ content: 'stored while served', level: 1, title: 'served' });
}, 60_000);

afterAll(async () => {
  client?.close();
  await stopServed(serve, serverPid, v);
});

describe('owner work while serve holds the vault', () => {
  it('audit verify, audit export and backup create run in the server; the backup verifies once it stops', async () => {
    const verified = v.json<{ ok: boolean; events: number; damage: unknown }>(['audit', 'verify']);
    expect(verified).toMatchObject({ ok: true, damage: null });
    expect(verified.events).toBeGreaterThan(2);

    const bundleFile = join(dirname(v.dir), 'bundle.json');
    const exported = v.json<{ written: string; events: number }>(['audit', 'export', '--out', bundleFile]);
    expect(exported.written).toBe(bundleFile);
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as { events: unknown[] };
    expect(bundle.events).toHaveLength(exported.events);

    const backupFile = join(dirname(v.dir), 'served.mvbak');
    const backup = v.json<{ file: string; kind: string; backupId: string }>([
      'backup',
      'create',
      '--out',
      backupFile,
      '--age-recipient',
      recipient,
    ]);
    expect(backup).toMatchObject({ file: backupFile, kind: 'full' });

    // The agent is still served meanwhile.
    expect((await client?.store({ content: 'after the backup', level: 1, title: 'after' }))?.id).toBeTruthy();

    client?.close();
    client = undefined;
    process.kill(serverPid, 'SIGTERM');
    expect(await serve?.exited()).toBe(0);
    serverPid = 0;

    const checked = v.json<{ backupId: string; signed: boolean; auditEvents: number }>([
      'backup',
      'verify',
      backupFile,
      '--age-identity',
      idFile,
    ]);
    expect(checked).toMatchObject({ signed: true });
    expect(checked.backupId).toBe(backup.backupId);
    expect(checked.auditEvents).toBeGreaterThan(2);
    // The export is on the record, by the owner over the socket.
    const leaves = v.json<{ event: { kind: string; actor: { id: string } } }[]>(['audit', 'list', '--kind', 'audit.export']);
    expect(leaves.map((l) => l.event.actor.id)).toEqual(['terminal']);
  });
});
