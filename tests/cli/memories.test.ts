// store / recall / search / list / status through the real CLI, and the level gates that
// refuse a recall when no owner terminal is there to approve it.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CANARY,
  createSandbox,
  expectError,
  expectHumanError,
  expectOk,
  asSummaries,
  asSummary,
  initVault,
  store,
  type Sandbox,
  type Summary,
} from './cli-harness.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = createSandbox();
  await initVault(sb);
});
afterAll(() => sb.cleanup());

function asRecall(v: unknown): { memory: Summary; content?: string; contentBase64?: string } {
  if (typeof v !== 'object' || v === null) throw new Error(`not a recall result: ${JSON.stringify(v)}`);
  const o = v as Record<string, unknown>;
  asSummary(o.memory);
  expect(Object.keys(o).sort()).toEqual(['content' in o ? 'content' : 'contentBase64', 'memory'].sort());
  return o as { memory: Summary; content?: string; contentBase64?: string };
}

describe('store and recall', () => {
  it('stores from stdin; recall prints the raw content, --json gives { memory, content }', async () => {
    const content = `first line ${CANARY}\nsecond line with ünïcödé\n`;
    const s = await store(sb, {
      level: 1,
      title: 'stdin note',
      content,
      extra: ['--tag', 'alpha', '--tag', 'beta', '--meta', 'source=test', '-n', 'work'],
    });
    expect(s).toMatchObject({
      namespace: 'work',
      tags: ['alpha', 'beta'],
      metadata: { source: 'test' },
      size: Buffer.byteLength(content),
      tombstoned: false,
      createdBy: 'owner:cli',
    });

    const human = await sb.cli(['--vault', sb.vault, 'recall', s.id]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toBe(content);

    const byShort = asRecall(expectOk(await sb.vcli(['recall', s.shortId, '-j', 'checking'])));
    expect(byShort.content).toBe(content);
    expect(byShort.memory).toEqual(s);
  });

  it('stores from --file, including binary content (recall --json gives contentBase64)', async () => {
    const text = `from a file ${CANARY}\n`;
    const textFile = join(sb.root, 'content.txt');
    writeFileSync(textFile, text);
    const a = asSummary(expectOk(await sb.vcli(['store', '-l', '2', '-t', 'file note', '--file', textFile])));
    expect(a.size).toBe(Buffer.byteLength(text));
    expect(asRecall(expectOk(await sb.vcli(['recall', a.id]))).content).toBe(text);

    const bin = Buffer.concat([Buffer.from(CANARY), Buffer.from([0xff, 0xfe, 0x00, 0x80]), randomBytes(64)]);
    const binFile = join(sb.root, 'content.bin');
    writeFileSync(binFile, bin);
    const b = asSummary(expectOk(await sb.vcli(['store', '-l', '1', '-t', 'binary note', '--file', binFile])));
    const r = asRecall(expectOk(await sb.vcli(['recall', b.id])));
    expect(r.contentBase64).toBe(bin.toString('base64'));
  });

  it('store refuses bad input with INVALID_INPUT (level out of range, unreadable --file, --ttl above level 0)', async () => {
    expectError(await sb.vcli(['store', '-l', '6', '-t', 'x'], { input: `${CANARY} 6` }), 'INVALID_INPUT');
    expectError(await sb.vcli(['store', '-l', '1', '-t', 'x', '--file', join(sb.root, 'does-not-exist')]), 'INVALID_INPUT');
    expectError(await sb.vcli(['store', '-l', '1', '-t', 'x', '--ttl', '5'], { input: `${CANARY} ttl` }), 'INVALID_INPUT');
    expectError(await sb.vcli(['store', '-l', '1', '-t', 'x', '--meta', 'novalue'], { input: `${CANARY} meta` }), 'INVALID_INPUT');
  });

  it('recall of an unknown id → NOT_FOUND', async () => {
    expectError(await sb.vcli(['recall', '00000000-0000-4000-8000-000000000000']), 'NOT_FOUND');
    expectError(await sb.vcli(['recall', 'deadbeef']), 'NOT_FOUND');
    expectHumanError(await sb.cli(['--vault', sb.vault, 'recall', 'deadbeef']), 'NOT_FOUND');
  });
});

describe('levels 3–5 without an owner terminal', () => {
  it('level 3 recall → APPROVAL_REQUIRED', async () => {
    const s = await store(sb, { level: 3, title: 'sealed plan', content: `${CANARY} sealed` });
    const e = expectError(await sb.vcli(['recall', s.id]), 'APPROVAL_REQUIRED');
    expect(e.details).toEqual({ requestId: expect.any(String) });
    expectHumanError(await sb.cli(['--vault', sb.vault, 'recall', s.shortId]), 'APPROVAL_REQUIRED');
  });

  it('level 4 recall → BOUNDARY_DENIED (no boundary provider attests an offline environment)', async () => {
    const s = await store(sb, { level: 4, title: 'vaulted plan', content: `${CANARY} vaulted` });
    expectError(await sb.vcli(['recall', s.id]), 'BOUNDARY_DENIED');
  });

  it('level 5 store without a security key → HARDWARE_REQUIRED, nothing stored', async () => {
    const before = expectOk(await sb.vcli(['status'])) as { memories: Record<string, number> };
    expectError(await sb.vcli(['store', '-l', '5', '-t', 'black plan'], { input: `${CANARY} black` }), 'HARDWARE_REQUIRED');
    const after = expectOk(await sb.vcli(['status'])) as { memories: Record<string, number> };
    expect(after.memories['5']).toBe(0);
    expect(after.memories).toEqual(before.memories);
  });
});

describe('search, list and status', () => {
  let fresh: Sandbox;
  const made: Summary[] = [];
  beforeAll(async () => {
    fresh = createSandbox();
    await initVault(fresh);
    made.push(
      await store(fresh, {
        level: 1,
        title: 'grocery list',
        content: `${CANARY} apples zucchini`,
        extra: ['-n', 'home', '--tag', 'errands'],
      }),
    );
    made.push(await store(fresh, { level: 2, title: 'bank details', content: `${CANARY} quokka account`, extra: ['-n', 'home'] }));
    made.push(await store(fresh, { level: 3, title: 'launch codes', content: `${CANARY} narwhal platypus`, extra: ['-n', 'work'] }));
    made.push(await store(fresh, { level: 0, title: 'scratch pad', content: `${CANARY} ephemeral wombat`, extra: ['-n', 'work'] }));
    made.push(
      await store(fresh, {
        level: 1,
        title: 'meeting notes',
        content: `${CANARY} agenda items`,
        extra: ['-n', 'work', '--meta', 'project=orion'],
      }),
    );
  });
  afterAll(() => fresh.cleanup());

  const ids = (rows: readonly Summary[]) => rows.map((r) => r.id);
  const search = async (...q: string[]) => asSummaries(expectOk(await fresh.vcli(['search', ...q])));

  it('search finds content words of levels 0–2', async () => {
    expect(ids(await search('zucchini'))).toEqual([made[0]?.id]);
    expect(ids(await search('quokka'))).toEqual([made[1]?.id]);
    expect(ids(await search('wombat'))).toEqual([made[3]?.id]);
  });

  it('search finds a level-3 memory by its title but never by a word only in its content', async () => {
    expect(await search('narwhal')).toEqual([]);
    expect(await search('platypus')).toEqual([]);
    expect(ids(await search('launch'))).toEqual([made[2]?.id]);
  });

  it('search matches tags and metadata, honours --namespace and --limit, and never returns content', async () => {
    expect(ids(await search('errands'))).toEqual([made[0]?.id]);
    expect(ids(await search('orion'))).toEqual([made[4]?.id]);
    expect(await search(CANARY.split('-')[1] ?? 'canary', '--namespace', 'nowhere')).toEqual([]);
    const all = await search('mv');
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(await search('mv', '--limit', '2')).toHaveLength(2);
    const r = await fresh.vcli(['search', 'zucchini']);
    expect(r.stdout).not.toContain(CANARY);
    // Query syntax cannot break out of the quoting.
    expect(await search('"unbalanced', 'OR', 'title:*')).toEqual([]);
  });

  it('list filters by namespace and level, pages newest first, hides tombstoned by default', async () => {
    const list = async (...args: string[]) => asSummaries(expectOk(await fresh.vcli(['list', ...args])));
    const all = await list();
    expect(ids(all)).toEqual(ids([...made].reverse()));
    expect(all.every((m) => !('content' in m))).toBe(true);
    expect(ids(await list('--namespace', 'home'))).toEqual([made[1]?.id, made[0]?.id]);
    expect(ids(await list('--level', '1'))).toEqual([made[4]?.id, made[0]?.id]);
    expect(ids(await list('--namespace', 'work', '--level', '3'))).toEqual([made[2]?.id]);
    const p1 = await list('--limit', '2', '--offset', '0');
    const p2 = await list('--limit', '2', '--offset', '2');
    const p3 = await list('--limit', '2', '--offset', '4');
    expect([...ids(p1), ...ids(p2), ...ids(p3)]).toEqual(ids(all));
    expect(await list('--offset', '5')).toEqual([]);
    expectError(await fresh.vcli(['list', '--limit', '0']), 'INVALID_INPUT');
    expectError(await fresh.vcli(['list', '--level', '9']), 'INVALID_INPUT');
    const human = await fresh.cli(['--vault', fresh.vault, 'list', '--namespace', 'home']);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain(made[0]?.shortId);
    expect(human.stdout).toContain('grocery list');
  });

  it('status counts memories per level', async () => {
    const st = expectOk(await fresh.vcli(['status']));
    expect(st).toEqual({
      dir: fresh.vault,
      vaultId: expect.any(String),
      memories: { 0: 1, 1: 2, 2: 1, 3: 1, 4: 0, 5: 0 },
      auditEvents: expect.any(Number),
      lockdown: { on: false, since: null, by: null, reason: null },
      // Issue 13: status states the caps in force and the suspended agents (none here).
      limits: { pendingApprovalsPerAgent: 20 },
      suspendedAgents: [],
      metrics: {
        recalls: expect.any(Object),
        stores: expect.any(Object),
        approvals: expect.any(Object),
        recallLatencyMs: { count: expect.any(Number), p50: expect.any(Number), p99: expect.any(Number) },
      },
      health: {
        database: 'ok',
        auditHead: { events: expect.any(Number), checkpointSize: expect.any(Number), checkpointAt: expect.any(String) },
        witness: { state: 'none' },
        boundary: expect.any(Object),
        tpm: { present: expect.any(Boolean), detail: expect.any(String) },
        fido2: expect.objectContaining({ available: expect.any(Boolean), devices: 0 }),
        suspendedAgents: [],
      },
    });
  });
});
