// Owner commands: tombstone, lockdown, cooldowns, TTL purge.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CANARY,
  asSummaries,
  asSummary,
  createSandbox,
  expectError,
  expectOk,
  initVault,
  sleep,
  store,
  type Sandbox,
} from './cli-harness.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = createSandbox();
  await initVault(sb);
});
afterEach(() => sb.cleanup());

const recallContent = async (id: string): Promise<unknown> => {
  const r = expectOk(await sb.vcli(['recall', id])) as { content?: unknown };
  return r.content;
};

describe('tombstone', () => {
  it('a wrong --confirm is refused with INVALID_INPUT and nothing changes', async () => {
    const content = `${CANARY} to be tombstoned`;
    const s = await store(sb, { level: 1, title: 'doomed', content });
    const wrong = s.shortId === '00000000' ? '11111111' : '00000000';
    expectError(await sb.vcli(['tombstone', s.id, '--confirm', wrong]), 'INVALID_INPUT');
    expectError(await sb.vcli(['tombstone', s.id, '--confirm', s.id]), 'INVALID_INPUT');
    expect(await recallContent(s.id)).toBe(content);
    const listed = asSummaries(expectOk(await sb.vcli(['list'])));
    expect(listed.map((m) => [m.id, m.tombstoned])).toEqual([[s.id, false]]);
  });

  it('without --confirm and without a terminal → INVALID_INPUT, nothing changes', async () => {
    const content = `${CANARY} unconfirmed`;
    const s = await store(sb, { level: 1, title: 'unconfirmed', content });
    expectError(await sb.vcli(['tombstone', s.shortId]), 'INVALID_INPUT');
    expect(await recallContent(s.id)).toBe(content);
  });

  it('the right short id tombstones: later recalls → TOMBSTONED, list hides it unless --tombstoned', async () => {
    const s = await store(sb, { level: 2, title: 'shredded', content: `${CANARY} shredded` });
    const keep = await store(sb, { level: 1, title: 'kept', content: `${CANARY} kept` });
    const t = asSummary(
      expectOk(await sb.vcli(['tombstone', s.shortId, '--confirm', s.shortId.toUpperCase(), '--reason', 'no longer needed'])),
    );
    expect(t).toEqual({ ...s, tombstoned: true });
    expectError(await sb.vcli(['recall', s.id]), 'TOMBSTONED');
    expectError(await sb.vcli(['recall', s.shortId]), 'TOMBSTONED');
    expectError(await sb.vcli(['tombstone', s.id, '--confirm', s.shortId]), 'TOMBSTONED');
    expect(asSummaries(expectOk(await sb.vcli(['list']))).map((m) => m.id)).toEqual([keep.id]);
    const withTomb = asSummaries(expectOk(await sb.vcli(['list', '--tombstoned'])));
    expect(withTomb.map((m) => [m.id, m.tombstoned])).toEqual([
      [keep.id, false],
      [s.id, true],
    ]);
    expect(await sb.vcli(['search', 'shredded']).then((r) => asSummaries(expectOk(r)))).toEqual([]);
  });
});

describe('lockdown', () => {
  it('on → recalls refused with LOCKDOWN and status shows it; off → recalls work again', async () => {
    const content = `${CANARY} locked away`;
    const s = await store(sb, { level: 1, title: 'lockable', content });
    const on = expectOk(await sb.vcli(['lockdown', 'on', '--reason', 'laptop stolen']));
    expect(on).toEqual({ on: true, since: expect.any(Number), by: 'owner:cli', reason: 'laptop stolen' });
    expectError(await sb.vcli(['recall', s.id]), 'LOCKDOWN');
    const st = expectOk(await sb.vcli(['status'])) as { lockdown: unknown };
    expect(st.lockdown).toEqual(on);
    expect(expectOk(await sb.vcli(['lockdown', 'status']))).toEqual(on);
    // Turning it on again is a no-op that keeps the original state.
    expect(expectOk(await sb.vcli(['lockdown', 'on']))).toEqual(on);
    const human = await sb.cli(['--vault', sb.vault, 'status']);
    expect(human.stdout).toMatch(/lockdown: ON \(laptop stolen\)/);

    expect(expectOk(await sb.vcli(['lockdown', 'off']))).toEqual({ on: false, since: null, by: null, reason: null });
    expect(await recallContent(s.id)).toBe(content);
    expect((expectOk(await sb.vcli(['status'])) as { lockdown: { on: boolean } }).lockdown.on).toBe(false);
  });

  it('an unknown lockdown action → INVALID_INPUT', async () => {
    expectError(await sb.vcli(['lockdown', 'sideways']), 'INVALID_INPUT');
  });
});

describe('cooldown', () => {
  it('store --cooldown 3600: the first recall succeeds, the second → COOLDOWN with retryAfterMs', async () => {
    const content = `${CANARY} cool`;
    const s = await store(sb, { level: 1, title: 'cooling', content, extra: ['--cooldown', '3600'] });
    expect(s.cooldownSeconds).toBe(3600);
    expect(await recallContent(s.id)).toBe(content);
    const e = expectError(await sb.vcli(['recall', s.id]), 'COOLDOWN');
    expect(e.details.retryAfterMs).toEqual(expect.any(Number));
    expect(e.details.retryAfterMs).toBeGreaterThan(0);
    expect(e.details.retryAfterMs).toBeLessThanOrEqual(3600 * 1000);
  });
});

describe('purge', () => {
  it('a level-0 memory stored with --ttl 1 is gone after ~1.1 s: recall → NOT_FOUND, status counts 0', async () => {
    const s = await store(sb, { level: 0, title: 'fleeting', content: `${CANARY} fleeting`, extra: ['--ttl', '1'] });
    expect(s.expiresAt).not.toBeNull();
    await sleep(1100);
    const r = expectOk(await sb.vcli(['purge'])) as { purged: number };
    expect(r).toEqual({ purged: expect.any(Number) });
    expectError(await sb.vcli(['recall', s.id]), 'NOT_FOUND');
    const st = expectOk(await sb.vcli(['status'])) as { memories: Record<string, number> };
    expect(st.memories['0']).toBe(0);
    expect(asSummaries(expectOk(await sb.vcli(['list', '--tombstoned'])))).toEqual([]);
  });

  it('purge reports { purged: 1 } for one expired level-0 memory', async () => {
    await store(sb, { level: 0, title: 'fleeting', content: `${CANARY} fleeting`, extra: ['--ttl', '1'] });
    await sleep(1100);
    expect(expectOk(await sb.vcli(['purge']))).toEqual({ purged: 1 });
  });

  it('an unexpired level-0 memory survives purge', async () => {
    const content = `${CANARY} lasting`;
    const s = await store(sb, { level: 0, title: 'lasting', content, extra: ['--ttl', '3600'] });
    expect(expectOk(await sb.vcli(['purge']))).toEqual({ purged: 0 });
    expect(await recallContent(s.id)).toBe(content);
  });

  it('purge on an untouched vault changes no memory', async () => {
    const s = await store(sb, { level: 1, title: 'steady', content: `${CANARY} steady` });
    expect(expectOk(await sb.vcli(['purge']))).toEqual({ purged: 0 });
    expect(asSummaries(expectOk(await sb.vcli(['list']))).map((m) => m.id)).toEqual([s.id]);
  });
});
