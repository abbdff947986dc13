// The preload exposes one object, `vault`, of functions and plain data. No ipcRenderer, no
// generic invoke/send/on, no IpcRendererEvent reaches the page.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { approvalsChangedEvent } from '../../src/shared/approvals.contract.js';
import { allChannels, contracts } from '../../src/shared/contracts.js';

interface Captured {
  exposed: Map<string, unknown>;
  invoke: ReturnType<typeof vi.fn>;
  listeners: Map<string, Set<(event: unknown, payload: unknown) => void>>;
  ipcRenderer: object;
}

const captured = vi.hoisted((): Captured => ({ exposed: new Map(), invoke: undefined as never, listeners: new Map(), ipcRenderer: {} }));

vi.mock('electron', () => {
  captured.invoke = vi.fn((channel: string) =>
    Promise.resolve(
      channel === 'vault:status'
        ? { ok: true, value: { state: 'locked', vaultDir: '/v', lockdown: false, memories: 0, auditEvents: 0, keySource: null } }
        : { ok: true, value: { not: 'the contract' } },
    ),
  );
  const ipcRenderer = {
    invoke: captured.invoke,
    send: vi.fn(),
    sendSync: vi.fn(),
    on: vi.fn((channel: string, l: (event: unknown, payload: unknown) => void) => {
      const set = captured.listeners.get(channel) ?? new Set();
      set.add(l);
      captured.listeners.set(channel, set);
    }),
    removeListener: vi.fn((channel: string, l: (event: unknown, payload: unknown) => void) => captured.listeners.get(channel)?.delete(l)),
  };
  captured.ipcRenderer = ipcRenderer;
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => captured.exposed.set(key, api) },
    ipcRenderer,
  };
});

/** Walk what was exposed: every leaf must be a function or plain JSON-like data. */
function leaks(value: unknown, path: string, seen = new Set<unknown>()): string[] {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return [];
  if (typeof value === 'function')
    return value === captured.invoke || Object.values(captured.ipcRenderer).includes(value) ? [`${path} is an ipcRenderer method`] : [];
  if (seen.has(value)) return [];
  seen.add(value);
  if (value === captured.ipcRenderer) return [`${path} is ipcRenderer`];
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return [`${path} is a class instance`];
  return Object.entries(value as object).flatMap(([k, v]) => leaks(v, `${path}.${k}`, seen));
}

let api: Record<string, unknown>;
beforeAll(async () => {
  await import('../../src/preload/index.preload.js');
  api = captured.exposed.get('vault') as Record<string, unknown>;
});

describe('the preload bridge', () => {
  it('exposes exactly one key, "vault"', () => {
    expect([...captured.exposed.keys()]).toEqual(['vault']);
  });

  it('exposes only functions, none of them a generic invoke/send/on or ipcRenderer itself', () => {
    expect(leaks(api, 'vault')).toEqual([]);
    for (const [name, v] of Object.entries(api)) expect(typeof v, name).toBe('function');
    expect(Object.keys(api)).not.toEqual(expect.arrayContaining(['invoke']));
    for (const forbidden of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer', 'removeListener'])
      expect(api).not.toHaveProperty(forbidden);
  });

  it('each verb calls its own contract channel; every contract channel has a verb', async () => {
    const used = new Set<string>();
    for (const [name, fn] of Object.entries(api)) {
      if (name.startsWith('on')) continue;
      captured.invoke.mockClear();
      await (fn as (a?: unknown) => Promise<unknown>)({});
      const channel = captured.invoke.mock.calls[0]?.[0] as string;
      expect(allChannels()).toContain(channel);
      used.add(channel);
    }
    expect([...used].sort()).toEqual(allChannels().sort());
  });

  it('parses replies against the contract: a malformed reply becomes an INTERNAL failure, not data', async () => {
    const status = await (api.status as () => Promise<unknown>)();
    expect(status).toMatchObject({ ok: true, value: { state: 'locked' } });
    const bad = await (api.listApprovals as () => Promise<unknown>)();
    expect(bad).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(captured.invoke).toHaveBeenCalledWith(contracts.approvals.list.channel, {});
  });

  it('event subscriptions hand the callback the parsed payload only, and unsubscribe', () => {
    const seen: unknown[] = [];
    const off = (api.onApprovalsChanged as (cb: (x: unknown) => void) => () => void)((x) => seen.push(x));
    expect(typeof off).toBe('function');
    const [listener] = captured.listeners.get(approvalsChangedEvent.channel) ?? [];
    expect(listener).toBeTypeOf('function');
    const fakeEvent = { sender: captured.ipcRenderer, ports: [] };
    listener?.(fakeEvent, { request: { bogus: true } });
    expect(seen).toEqual([]);
    const request = {
      requestId: 'r1',
      state: 'pending',
      memory: {
        id: 'm',
        shortId: 'm',
        namespace: 'default',
        level: 3,
        title: 't',
        tags: [],
        metadata: {},
        intentRef: null,
        createdAt: 'x',
        createdBy: 'y',
        expiresAt: null,
        cooldownSeconds: 0,
        tombstoned: false,
        size: 1,
      },
      level: 3,
      requester: { type: 'agent', id: 'a', name: 'A' },
      justification: 'j',
      environment: 'e',
      createdAt: 1,
      expiresAt: 2,
      grantAllowed: true,
      decidedBy: null,
      digest: 'ab'.repeat(32),
    };
    listener?.(fakeEvent, { request });
    expect(seen).toEqual([request]);
    expect(leaks(seen, 'payload')).toEqual([]);
    off();
    expect(captured.listeners.get(approvalsChangedEvent.channel)?.size).toBe(0);
  });
});
