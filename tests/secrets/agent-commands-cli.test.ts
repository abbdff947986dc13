// The owner's command allowlist through the real CLI (issue 19 item 3): allow-command, commands
// --json, disallow-command, each change audited as command.allow / command.disallow; bad entries
// refused with INVALID_INPUT and nothing stored; the same verbs through a running server's
// owner socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliVault, serveHeadless, stopServed, type CliVault, type Watched } from '../agent-api/cli-process.js';

interface View {
  id: string;
  agentId: string;
  exec: string;
  args: string[];
  cwd: string;
  timeoutMs: number;
  envNames: string[];
  digest: string;
}

let v: CliVault;
let agentId = '';

const allowArgs = (agent: string, extra: string[] = []) => [
  'agent',
  'allow-command',
  agent,
  '--exec',
  process.execPath,
  '--arg',
  '-e',
  '--arg',
  'console.log(process.argv[1])',
  '--arg',
  '{name:word}',
  '--cwd',
  '/tmp',
  '--timeout',
  '20',
  '--env',
  'DB_PASSWORD',
  ...extra,
];

beforeAll(() => {
  v = cliVault();
  agentId = v.json<{ agent: { id: string } }>(['agent', 'add', 'ops-bot', '--max-level', '3']).agent.id;
}, 60_000);

afterAll(() => v?.remove());

describe('agent allow-command / commands / disallow-command (vault opened directly)', () => {
  let added: View;

  it('allows a command, with option-like literal arguments kept as given', () => {
    added = v.json<View>(allowArgs('ops-bot'));
    expect(added).toMatchObject({
      agentId,
      exec: process.execPath,
      args: ['-e', 'console.log(process.argv[1])', '{name:word}'],
      cwd: '/tmp',
      timeoutMs: 20_000,
      envNames: ['DB_PASSWORD'],
    });
    expect(added.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists it (--json and human) for that agent only', () => {
    expect(v.json<View[]>(['agent', 'commands', 'ops-bot'])).toEqual([expect.objectContaining({ id: added.id, digest: added.digest })]);
    const human = v.cli(['agent', 'commands', 'ops-bot']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain(added.id);
    // The argument with spaces and parentheses is quoted, so its boundary shows.
    expect(human.stdout).toContain("'console.log(process.argv[1])'");
    v.json(['agent', 'add', 'other-bot', '--max-level', '1']);
    expect(v.json<View[]>(['agent', 'commands', 'other-bot'])).toEqual([]);
  });

  it('the change is an audit leaf naming agent, entry and digest', () => {
    const events = v.json<{ event: { kind: string; details: Record<string, unknown> } }[]>(['audit', 'list', '--kind', 'command.allow']);
    expect(events).toHaveLength(1);
    expect(events[0]?.event.details).toMatchObject({ agentId, commandId: added.id, commandDigest: added.digest, exec: process.execPath });
  });

  it.each([
    ['a relative executable', ['--exec', 'node']],
    ['a loader variable', ['--env', 'LD_PRELOAD']],
    ['an unknown placeholder type', ['--arg', '{x:float}']],
  ])('refuses %s with INVALID_INPUT and stores nothing', (_what, extra) => {
    const args = allowArgs('ops-bot');
    // Later options win for --exec; repeatable ones append.
    const r = v.cli(['--json', ...args, ...extra]);
    expect(r.status).toBe(20);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(v.json<View[]>(['agent', 'commands', 'ops-bot'])).toHaveLength(1);
  });

  it('an executable that does not exist is refused at allow time', () => {
    const r = v.cli(['--json', ...allowArgs('ops-bot'), '--exec', '/nonexistent/bin/tool']);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('disallow-command removes it (audited); a second time is NOT_FOUND', () => {
    expect(v.json<View>(['agent', 'disallow-command', 'ops-bot', added.id])).toMatchObject({ id: added.id });
    expect(v.json<View[]>(['agent', 'commands', 'ops-bot'])).toEqual([]);
    const again = v.cli(['--json', 'agent', 'disallow-command', 'ops-bot', added.id]);
    expect(again.status).toBe(21);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const events = v.json<{ event: { details: Record<string, unknown> } }[]>(['audit', 'list', '--kind', 'command.disallow']);
    expect(events.map((e) => e.event.details.commandId)).toEqual([added.id]);
  });
});

describe('the same verbs through a running server (owner socket)', () => {
  let serve: Watched;
  let pid = 0;

  beforeAll(async () => {
    serve = serveHeadless(v);
    pid = Number((await serve.waitFor(/"event":"listening".*?"pid":(\d+)/))[1]);
  }, 60_000);

  afterAll(async () => {
    await stopServed(serve, pid, v);
  });

  it('allow, list and disallow go through the server', () => {
    const added = v.json<View>(allowArgs('ops-bot'));
    expect(v.json<View[]>(['agent', 'commands', 'ops-bot']).map((c) => c.id)).toEqual([added.id]);
    expect(v.json<View>(['agent', 'disallow-command', 'ops-bot', added.id]).id).toBe(added.id);
    expect(v.json<View[]>(['agent', 'commands', 'ops-bot'])).toEqual([]);
  });
});
