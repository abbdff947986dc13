// Threat (issue 13): an agent's text reaches the owner's terminal as control, not data. A
// justification with cursor-up/clear-screen erased the real "l3 sealed launch codes" request and
// drew a harmless one; `list` and `search` printed raw escapes (clipboard-write OSC 52 included).
// Now: such titles, tags and metadata keys are refused at store time (INVALID_INPUT), and the
// agent text that is stored (justification, metadata values) appears visibly escaped on a real
// `memory-vault serve` pseudo-terminal, labelled as the agent's words; `list` text and `--json`
// carry no raw ESC byte.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryId, MemorySummary } from '../../src/core/model/memory.js';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { describeAuditRow } from '../../src/cli/commands/audit.js';
import { describeRow } from '../../src/cli/commands/memory.js';
import { AGENT_WORDS_LABEL } from '../../src/cli/io/terminal-approvals.js';
import { codeOf } from '../agent-api/agent-fixture.js';
import { cliVault, serveOnPty, type CliVault, type Watched, stopServed } from '../agent-api/cli-process.js';

const ESC = '\u001b';
const CLEAR = `${ESC}[2J`;
const UP = `${ESC}[1A`;
const OSC52 = `${ESC}]52;c;bWFsaWNpb3VzIGNvbW1hbmQ=\u0007`;
const RLO = '\u202e';
const CSI8 = '\u009b2J';
const ATTACK = `${UP}${UP}${ESC}[2K${CLEAR}${OSC52}${RLO}harmless lookup${CSI8}`;

/**
 * Bytes a terminal acts on or that reorder text: ESC, BEL, the 8-bit CSI U+009B (C2 9B: Node
 * writes strings as UTF-8, so that is how a raw one would leave the process) and RLO (E2 80 AE).
 */
function rawControlBytes(buf: Buffer): string[] {
  const probes: [string, number[]][] = [
    ['ESC', [0x1b]],
    ['BEL', [0x07]],
    ['CSI U+009B', [0xc2, 0x9b]],
    ['RLO U+202E', [0xe2, 0x80, 0xae]],
  ];
  return probes.filter(([, seq]) => buf.includes(Buffer.from(seq))).map(([name]) => name);
}

let v: CliVault;
let serve: Watched;
let client: AgentClient;
let serverPid = 0;
const bytes: Buffer[] = [];

beforeAll(async () => {
  v = cliVault();
  const created = v.json<{ agent: { id: string }; token: string }>(['agent', 'add', 'probe-bot', '--max-level', '3']);
  serve = serveOnPty(v, ['--approval-timeout', '60']);
  serve.child.stdout?.on('data', (d: Buffer) => bytes.push(d));
  const m = await serve.waitFor(/listening on \S+ \(pid (\d+)\)/);
  serverPid = Number(m[1]);
  client = await AgentClient.connect({ socketPath: join(v.dir, 'agent.sock'), token: created.token });
}, 60_000);

afterAll(async () => {
  client?.close();
  await stopServed(serve, serverPid, v);
});

describe('terminal escape injection through agent text', () => {
  it('refuses titles, tags and metadata keys carrying ESC[2J, ESC[1A, OSC 52 or U+202E: INVALID_INPUT', async () => {
    for (const title of [`launch codes${CLEAR}`, `${UP}launch codes`, `x${OSC52}`, `codes.${RLO}txt`, `two\nlines`]) {
      expect(await codeOf(client.store({ content: 'x', level: 3, title }))).toBe('INVALID_INPUT');
    }
    expect(await codeOf(client.store({ content: 'x', level: 1, title: 'ok', tags: [`t${CLEAR}`] }))).toBe('INVALID_INPUT');
    expect(await codeOf(client.store({ content: 'x', level: 1, title: 'ok', metadata: { [`k${OSC52}`]: 'v' } }))).toBe('INVALID_INPUT');
    expect(await codeOf(client.store({ content: 'x', level: 1, title: 'ok', namespace: `ns${RLO}` }))).toBe('INVALID_INPUT');
  });

  it('a level-3 request whose justification and metadata values carry the attack shows them escaped on the owner terminal', async () => {
    const m = await client.store({
      content: 'the launch codes are 0000',
      level: 3,
      title: 'l3 sealed launch codes',
      tags: ['silo'],
      metadata: { note: `${CLEAR}${UP}`, clip: OSC52, dir: `${RLO}txt.exe`, csi: CSI8 },
    });
    const fromText = serve.output.length;
    const fromBytes = bytes.length;
    const r = await client.recall(m.id, ATTACK);
    expect(r.status).toBe('pending');
    if (r.status !== 'pending') return;
    const shown = (await serve.waitFor(new RegExp(`APPROVAL REQUEST ${r.requestId}[\\s\\S]*?Approve\\?`), 20_000, fromText))[0];

    // The vault's facts are there, unaltered…
    expect(shown).toContain('level 3 (Sealed)');
    expect(shown).toContain('"l3 sealed launch codes"');
    expect(shown).toContain('probe-bot');
    // …the agent's words are labelled as such and every sequence is visible as text.
    expect(shown).toContain(AGENT_WORDS_LABEL);
    expect(shown).toContain('\\x1b[1A\\x1b[1A\\x1b[2K\\x1b[2J\\x1b]52;c;bWFsaWNpb3VzIGNvbW1hbmQ=\\x07\\u202eharmless lookup\\x9b2J');
    expect(shown).toContain('note=\\x1b[2J\\x1b[1A');
    expect(shown).toContain('dir=\\u202etxt.exe');
    expect(shown).not.toContain('0000');

    // Byte-exact: nothing the server wrote to its terminal since the request holds a raw control.
    const transcript = Buffer.concat(bytes.slice(fromBytes));
    expect(rawControlBytes(transcript)).toEqual([]);

    serve.child.stdin?.write('n\n');
    expect(await codeOf(client.wait(r.requestId, 20_000))).toBe('APPROVAL_DENIED');
  });

  it('list --json and list text carry no raw ESC byte; --json still parses to the stored values', async () => {
    process.kill(serverPid, 'SIGTERM');
    expect(await serve.exited()).toBe(0);
    serverPid = 0;
    const asJson = v.cli(['--json', 'list']);
    expect(asJson.status).toBe(0);
    expect(rawControlBytes(Buffer.from(asJson.stdout, 'utf8'))).toEqual([]);
    const parsed = JSON.parse(asJson.stdout) as { ok: boolean; result: { title: string; metadata: Record<string, unknown> }[] };
    const sealed = parsed.result.find((x) => x.title === 'l3 sealed launch codes');
    expect(sealed?.metadata).toEqual({ note: `${CLEAR}${UP}`, clip: OSC52, dir: `${RLO}txt.exe`, csi: CSI8 });
    const asText = v.cli(['list']);
    expect(asText.status).toBe(0);
    expect(asText.stdout).toContain('l3 sealed launch codes');
    expect(rawControlBytes(Buffer.from(asText.stdout, 'utf8'))).toEqual([]);
    const audit = v.cli(['audit', 'list', '--limit', '1000']);
    expect(audit.status).toBe(0);
    expect(rawControlBytes(Buffer.from(audit.stdout, 'utf8'))).toEqual([]);
  }, 60_000);
});

describe('text printers neutralise rows written before store-time refusal existed', () => {
  const legacy: MemorySummary = {
    id: '0b9d5f0a-3c3e-4d5a-8f21-6a7b8c9d0e1f' as MemoryId, // test data, not untrusted input
    shortId: '0b9d5f0a',
    namespace: 'default',
    level: 3,
    title: `${UP}${CLEAR}harmless${OSC52}${RLO}`,
    tags: [`t${CSI8}`, 'x\u200by'],
    metadata: {},
    intentRef: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    createdBy: 'agent:x',
    expiresAt: null,
    cooldownSeconds: 0,
    tombstoned: false,
    size: 1,
  };

  it('list and search rows (describeRow)', () => {
    const row = describeRow(legacy);
    expect(rawControlBytes(Buffer.from(row, 'utf8'))).toEqual([]);
    expect(row).toContain('default/\\x1b[1A\\x1b[2Jharmless\\x1b]52;c;bWFsaWNpb3VzIGNvbW1hbmQ=\\x07\\u202e');
    expect(row).toContain('[t\\x9b2J, x\\u200by]');
  });

  it('audit list rows (describeAuditRow)', () => {
    const row = describeAuditRow(7, {
      ts: '2030-01-01T00:00:00.000Z',
      kind: `memory.store${CLEAR}`,
      outcome: 'ok',
      actor: { type: 'agent', id: `a${RLO}b` },
      memory: { id: `${ESC}]52;c;` },
    });
    expect(rawControlBytes(Buffer.from(row, 'utf8'))).toEqual([]);
    expect(row).toContain('memory.store\\x1b[2J');
    expect(row).toContain('agent:a\\u202eb');
    expect(row).toContain('memory \\x1b]52;c;');
  });
});
