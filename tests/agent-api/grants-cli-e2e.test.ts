// End to end with real processes: `memory-vault serve` headless, an agent on the real socket,
// the owner on the CLI. `grants list|revoke` go through the server's owner channel, and
// `agent revoke` through it ends the agent's pending recall with UNAUTHORIZED (never content).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantSchema } from '../../src/core/engine/grant-store.js';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { cliVault, serveHeadless, type CliVault, type Watched, stopServed } from './cli-process.js';

let v: CliVault;
let serve: Watched;
let client: AgentClient;
let agentId: string;
let serverPid = 0;

beforeAll(async () => {
  v = cliVault();
  const created = v.json<{ agent: { id: string }; token: string }>(['agent', 'add', 'reader', '--max-level', '3']);
  agentId = created.agent.id;
  serve = serveHeadless(v, ['--approval-timeout', '120']);
  const m = await serve.waitFor(/"event":"listening".*?"pid":(\d+)/);
  serverPid = Number(m[1]);
  client = await AgentClient.connect({ socketPath: join(v.dir, 'agent.sock'), token: created.token });
}, 60_000);

afterAll(async () => {
  client?.close();
  await stopServed(serve, serverPid, v);
});

describe('owner CLI against a running server', () => {
  let memoryId = '';

  it('`grants list` shows the grant an approval made; `grants revoke` ends it and the next recall asks again', async () => {
    memoryId = (await client.store({ content: 'sealed launch codes 0000', level: 3, title: 'launch codes' })).id;
    const first = await client.recall(memoryId, 'drill');
    if (first.status !== 'pending') throw new Error('expected pending');
    v.json(['approvals', '--approve', first.requestId, '--grant', '10']);
    expect(await client.wait(first.requestId, 20_000)).toMatchObject({ status: 'ok' });

    const listed = grantSchema.array().parse(v.json<unknown>(['grants', 'list']));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ holder: { type: 'agent', id: agentId }, memoryId, level: 3 });
    const grantId = listed[0]?.grantId ?? '';
    expect(grantSchema.parse(v.json<unknown>(['grants', 'revoke', grantId])).grantId).toBe(grantId);
    expect(v.json<unknown>(['grants', 'list'])).toEqual([]);
    const text = v.cli(['grants', 'list']);
    expect(text.stdout).toContain('No active grants.');
    expect((await client.recall(memoryId, 'again')).status).toBe('pending');
  }, 60_000);

  it('`agent revoke` while the agent waits on a level-3 request: the wait ends with UNAUTHORIZED', async () => {
    const r = await client.recall(memoryId, 'one more');
    if (r.status !== 'pending') throw new Error('expected pending');
    const waiting = client.wait(r.requestId, 30_000).then(
      (answer) => ({ ok: true as const, answer }),
      (e: { code?: string }) => ({ ok: false as const, code: e.code }),
    );
    // Same connection, in order: once health answers, the wait is parked on the server.
    await client.health();
    v.json(['agent', 'revoke', 'reader']);
    const result = await waiting;
    expect(result).toEqual({ ok: false, code: 'UNAUTHORIZED' });
    expect(JSON.stringify(result)).not.toContain('0000');
  }, 60_000);
});
