// Issue 19 item 4, through the agent socket: a level-3 use without approval is pending and the
// owner's request names the exact command line; a grant given for that use covers that command
// for its minutes but not memory.recall and not another command; level 4 asks every time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { codeOf, until } from '../agent-api/agent-fixture.js';
import { describeGrant } from '../../src/cli/commands/grants.js';
import { toGrantDto } from '../../src/main/services/grant-dto.js';
import { grantDtoSchema } from '../../src/shared/grants.contract.js';
import { startUseFixture, type UseFixture } from './agent-use-support.js';

const SECRET = 'sealed-value-3f9a1c';
const PRINT = 'console.log(process.env.TOKEN)';
const LENGTH = 'console.log(process.env.TOKEN.length)';

let f: UseFixture;
let tmp: string;
let client: AgentClient;
let level3Ref = '';
let level3Id = '';
let level4Ref = '';
let printId = '';
let lengthId = '';

beforeAll(async () => {
  f = await startUseFixture({ approvalTimeoutMs: 60_000 });
  tmp = mkdtempSync(join(tmpdir(), 'mv-use-approval-'));
  const bot = await f.agent('deploy-bot', 4, ['ops']);
  client = bot.client;
  const owner = { kind: 'owner', channel: 'cli' } as const;
  const m3 = await f.session.engine.store({ content: SECRET, level: 3, title: 'deploy token', namespace: 'ops' }, owner);
  const m4 = await f.session.engine.store({ content: `${SECRET}-4`, level: 4, title: 'root token', namespace: 'ops' }, owner);
  level3Id = m3.id;
  level3Ref = `mv://ops/${m3.id}`;
  level4Ref = `mv://ops/${m4.id}`;
  const entry = (script: string) => ({ exec: process.execPath, args: ['-e', script], cwd: tmp, timeoutMs: 20_000, envNames: ['TOKEN'] });
  printId = (await f.allowlist.allow(bot.id, entry(PRINT), 'cli')).id;
  lengthId = (await f.allowlist.allow(bot.id, entry(LENGTH), 'cli')).id;
}, 60_000);

afterAll(async () => {
  await f?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The owner's decision as an owner surface makes it: about the request it displayed (its digest). */
function decide(requestId: string, approve: boolean, grantMinutes = 0) {
  const view = f.server.broker.view(requestId);
  return f.server.broker.decide(requestId, approve ? { approve: true, grantMinutes } : { approve: false }, 'desktop', view.digest);
}

async function pendingUse(commandId: string, ref: string): Promise<string> {
  const r = await client.use({ command: { commandId }, env: { TOKEN: ref }, justification: 'deploy' });
  if (r.status !== 'pending') throw new Error(`expected pending, got ${JSON.stringify(r)}`);
  return r.requestId;
}

describe('level 3', () => {
  it('a use without approval is pending; the request shows the exact command line and directory', async () => {
    const requestId = await pendingUse(printId, level3Ref);
    const view = await until(() => f.server.broker.pending().find((v) => v.requestId === requestId));
    expect(view.purpose).toMatchObject({ kind: 'use', commandLine: [process.execPath, '-e', PRINT], cwd: tmp });
    expect(view.justification).toBe('deploy');
    decide(requestId, true, 10);
    const done = await client.wait(requestId, 30_000);
    expect(done).toMatchObject({ status: 'ok', exitCode: 0, stdout: { text: '<concealed by memory-vault>\n' } });
  });

  it('the grant covers the same command for its minutes: no second request', async () => {
    const r = await client.use({ command: { commandId: printId }, env: { TOKEN: level3Ref } });
    expect(r).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(f.server.broker.pending()).toEqual([]);
    const grants = f.session.engine.listGrants();
    expect(grants).toHaveLength(1);
    expect(grants[0]?.purpose).toMatchObject({ kind: 'use' });
    // Owner surfaces show what the grant covers: `grants list` and the desktop grants panel's DTO.
    const g = grants[0];
    if (!g) throw new Error('no grant');
    expect(describeGrant(g)).toContain(`use only, to run \`${process.execPath} -e '${PRINT}'\``);
    expect(grantDtoSchema.parse(toGrantDto(g)).useCommand).toEqual({ commandLine: [process.execPath, '-e', PRINT], cwd: tmp });
  });

  it('the use-only grant does not allow memory.recall: it asks the owner, and a denial is APPROVAL_DENIED', async () => {
    const r = await client.recall(level3Id, 'just show me');
    expect(r.status).toBe('pending');
    if (r.status !== 'pending') return;
    expect(f.server.broker.view(r.requestId).purpose).toBeUndefined();
    decide(r.requestId, false);
    expect(await codeOf(client.wait(r.requestId, 30_000))).toBe('APPROVAL_DENIED');
  });

  it('nor another command: a different command line asks again', async () => {
    const requestId = await pendingUse(lengthId, level3Ref);
    expect(f.server.broker.view(requestId).purpose?.commandLine).toEqual([process.execPath, '-e', LENGTH]);
    expect(await client.cancel(requestId)).toMatchObject({ state: 'cancelled' });
    expect(await codeOf(client.wait(requestId, 30_000))).toBe('APPROVAL_CANCELLED');
  });
});

describe('level 4', () => {
  it('asks every time: an approval with grant minutes leaves no grant behind', async () => {
    const first = await pendingUse(printId, level4Ref);
    expect(f.server.broker.view(first).grantAllowed).toBe(false);
    decide(first, true, 10);
    expect(await client.wait(first, 30_000)).toMatchObject({ status: 'ok', stdout: { text: '<concealed by memory-vault>\n' } });
    expect(f.session.engine.listGrants().map((g) => g.memoryId)).toEqual([level3Id]);
    const second = await pendingUse(printId, level4Ref);
    decide(second, false);
    expect(await codeOf(client.wait(second, 30_000))).toBe('APPROVAL_DENIED');
  });
});
