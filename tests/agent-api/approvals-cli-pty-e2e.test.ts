// End to end with real processes: `memory-vault approvals` on a pseudo-terminal against a headless
// `memory-vault serve`. The request on screen is cancelled under the owner's keys (its agent is
// revoked from another terminal): the prompt redraws with NEXT REQUEST, the "y" typed for the old
// request is discarded, and the answer given to the new one is accepted by the real server — so
// the digest it carried is that of the view drawn.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { codeOf } from './agent-fixture.js';
import { BIN, cliVault, serveHeadless, Watched, type CliVault, stopServed } from './cli-process.js';

let v: CliVault;
let serve: Watched;
let serverPid = 0;
const clients: AgentClient[] = [];

async function agent(name: string): Promise<AgentClient> {
  const created = v.json<{ token: string }>(['agent', 'add', name, '--max-level', '3']);
  const c = await AgentClient.connect({ socketPath: join(v.dir, 'agent.sock'), token: created.token });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  v = cliVault();
  serve = serveHeadless(v, ['--approval-timeout', '120']);
  const m = await serve.waitFor(/"event":"listening".*?"pid":(\d+)/);
  serverPid = Number(m[1]);
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await stopServed(serve, serverPid, v);
});

describe('memory-vault approvals on a terminal', () => {
  it('a request cancelled under the owner’s keys is replaced by NEXT REQUEST, the keys are discarded, and the next answer is accepted', async () => {
    const a = await agent('bot-a');
    const b = await agent('bot-b');
    const ma = await a.store({ content: 'harmless notes', level: 3, title: 'harmless lookup' });
    const mb = await b.store({ content: 'launch codes 0000', level: 3, title: 'l3 sealed launch codes' });
    const ra = await a.recall(ma.id, 'routine');
    const rb = await b.recall(mb.id, 'drill');
    if (ra.status !== 'pending' || rb.status !== 'pending') throw new Error('expected two pending requests');
    const codeA = codeOf(a.wait(ra.requestId, 60_000)); // settles when A ends; handled from now on

    const cmd = [process.execPath, BIN, 'approvals'].map((x) => `'${x}'`).join(' ');
    const owner = new Watched(spawn('script', ['-qfec', cmd, '/dev/null'], { env: v.env, stdio: ['pipe', 'pipe', 'pipe'] }));
    await owner.waitFor(new RegExp(`APPROVAL REQUEST ${ra.requestId}[\\s\\S]*?Approve\\?`), 30_000);
    owner.child.stdin?.write('y'); // the owner starts answering A…
    const from = owner.output.length;
    expect(v.cli(['agent', 'revoke', 'bot-a']).status).toBe(0); // …and A is cancelled under the key
    const switched = (
      await owner.waitFor(
        new RegExp(`no longer waiting[\\s\\S]*?NEXT REQUEST[\\s\\S]*?APPROVAL REQUEST ${rb.requestId}[\\s\\S]*?Approve\\?`),
        30_000,
        from,
      )
    )[0];
    expect(switched).toContain('The keys you typed were discarded.');
    const asked = owner.output.length;
    owner.child.stdin?.write('\r'); // the "y" typed for A is gone: Enter alone is no answer
    await owner.waitFor(/Please answer y, n/, 20_000, asked);
    owner.child.stdin?.write('y\r');
    expect(await b.wait(rb.requestId, 30_000)).toMatchObject({ status: 'ok', content: 'launch codes 0000' });
    expect(await codeA).toBe('UNAUTHORIZED');
    await owner.waitFor(/No more pending requests \(1 decided here\)/, 30_000);
    expect(await owner.exited()).toBe(0);
  }, 120_000);
});
