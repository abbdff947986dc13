// Threat: an agent smuggles input the vault does not store as sent, or reads figures it has no
// business seeing. Before: `contentBase64` was decoded leniently (Buffer.from stops at the first
// bad character and ignores bad padding, so "aGVsbG8*junk" was stored as "hello"), a lone
// surrogate in any string was stored as U+FFFD, and `vault.health` gave any agent the vault-wide
// audit size and recall/store counters, levels it cannot reach included. All over a real socket.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import type { StoreParams } from '../../src/node/agent-api/agent-client.js';
import { codeOf, startServerFixture, until, type ServerFixture } from '../agent-api/agent-fixture.js';

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const owner: Requester = { kind: 'owner', channel: 'cli' };

describe('contentBase64 is strict base64', () => {
  it('refuses invalid characters, bad padding and non-canonical trailing bits with INVALID_INPUT, storing nothing', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('b64', 2);
    const bad = [
      'aGVsbG8*junk', // invalid character: used to be stored as "hello"
      'aGVs bG8=', // space
      'aGVsbG8', // missing padding
      'aGVsbG8==', // too much padding
      'aGVsbG8=aGVs', // padding in the middle
      'aGVsbG9=', // non-zero trailing bits ("hello" is aGVsbG8=)
      'QR==', // non-zero trailing bits
      'aGVsbG8_', // base64url alphabet
    ];
    for (const contentBase64 of bad) {
      expect(await codeOf(client.store({ contentBase64, level: 1, title: 'b64' })), contentBase64).toBe('INVALID_INPUT');
    }
    expect(await client.list({})).toEqual([]);
  });

  it('stores canonical base64 byte for byte', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('b64-ok', 2);
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x41]);
    const m = await client.store({ contentBase64: bytes.toString('base64'), level: 1, title: 'bytes' });
    const r = await client.recall(m.id, 'check');
    expect(r).toMatchObject({ status: 'ok', contentBase64: bytes.toString('base64') });
    const empty = await client.store({ contentBase64: '', level: 1, title: 'empty' });
    expect(await client.recall(empty.id, 'check')).toMatchObject({ status: 'ok', content: '' });
  });
});

describe('lone surrogates are refused wherever agent strings enter', () => {
  it('in content, title, tags, metadata keys and values, search queries and justifications → INVALID_INPUT', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('surrogates', 2);
    const base = { content: 'fine', level: 1 as const, title: 'fine' };
    const stores: StoreParams[] = [
      { ...base, content: 'before\ud800after' },
      { ...base, content: 'ends high \ud83d' },
      { ...base, title: '\udc00 starts low' },
      { ...base, tags: ['ok', 'bad\udfff'] },
      { ...base, metadata: { ['k\ud800']: 'v' } },
      { ...base, metadata: { k: 'v\udc00' } },
      { ...base, intentRef: 'ref\ud800' },
    ];
    for (const p of stores) expect(await codeOf(client.store(p)), JSON.stringify(p)).toBe('INVALID_INPUT');
    expect(await client.list({})).toEqual([]);

    const m = await client.store(base);
    expect(await codeOf(client.search('q\ud800'))).toBe('INVALID_INPUT');
    expect(await codeOf(client.recall(m.id, 'because\udc00'))).toBe('INVALID_INPUT');
    expect(await codeOf(client.recall(`${m.id}\ud800`, 'x'))).toBe('INVALID_INPUT');
  });

  it('paired surrogates (emoji) are ordinary text and round-trip exactly', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('emoji', 2);
    const content = 'notes 😀 \ud83d\udc4d 👩‍💻';
    const m = await client.store({ content, level: 1, title: 'emoji 😀', tags: ['😀'] });
    expect(await client.recall(m.id, 'check')).toMatchObject({ status: 'ok', content });
  });
});

describe('vault.health shows an agent only its own counters', () => {
  it('no audit size, no vault-wide recall or store counters, no levels beyond its reach', async () => {
    fx = await startServerFixture();
    const e = fx.session.engine;
    // Activity the low agent must not learn about: owner stores at level 4, another agent at level 3.
    await e.store({ content: 'owner secret', level: 4, title: 'owner' }, owner);
    const other = await fx.agent('other', 3);
    const theirs = await other.client.store({ content: 'theirs', level: 3, title: 'theirs' });
    await other.client.recall(theirs.id, 'mine');
    await other.client.search('theirs');

    const low = await fx.agent('low', 1, ['work']);
    const mine = await low.client.store({ content: 'mine', level: 1, title: 'mine', namespace: 'work' });
    await low.client.recall(mine.id, 'mine');
    expect(await codeOf(low.client.store({ content: 'too high', level: 2, title: 'x', namespace: 'work' }))).toBe('FORBIDDEN');

    const h: unknown = await low.client.health();
    expect(h).toEqual({
      ok: true,
      version: expect.any(String),
      lockdown: false,
      agent: { agentId: low.id, maxLevel: 1, namespaces: ['work'] },
      counters: { calls: { 'auth.login.ok': 1, 'memory.store.ok': 1, 'memory.recall.ok': 1, 'memory.store.FORBIDDEN': 1 } },
    });
    const text = JSON.stringify(h);
    for (const leak of ['auditEvents', 'level3', 'level4', 'recallLatencyMs', 'approvals']) expect(text).not.toContain(leak);

    // The other agent sees its own calls, not the low agent's.
    const theirsHealth = await other.client.health();
    expect(theirsHealth.counters.calls).toEqual({ 'auth.login.ok': 1, 'memory.store.ok': 1, 'memory.recall.ok': 1, 'memory.search.ok': 1 });
  });
});

describe('frames are well-formed UTF-8', () => {
  it('a frame with malformed UTF-8 is a parse error (INVALID_INPUT), never stored with U+FFFD in place of the bytes', async () => {
    fx = await startServerFixture();
    const { client, token } = await fx.agent('utf8', 2);
    const socket = connect(fx.server.agentSocket);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const replies: unknown[] = [];
    let buffered = '';
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('utf8');
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        replies.push(JSON.parse(buffered.slice(0, i)));
        buffered = buffered.slice(i + 1);
      }
    });
    socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'auth.login', params: { token } })}\n`);
    // "bad\xff title": 0xFF can never occur in UTF-8.
    const head = Buffer.from('{"jsonrpc":"2.0","id":2,"method":"memory.store","params":{"content":"x","level":1,"title":"bad');
    const tail = Buffer.from(' title"}}\n');
    socket.write(Buffer.concat([head, Buffer.from([0xff]), tail]));
    await until(() => (replies.length >= 2 ? true : undefined));
    socket.destroy();
    // Frames are answered as they finish, so the login's answer may come second.
    expect(replies).toContainEqual(expect.objectContaining({ id: 1, result: expect.anything() }));
    expect(replies).toContainEqual(
      expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32700, data: { code: 'INVALID_INPUT' } }) }),
    );
    expect(await client.list({})).toEqual([]);
  });
});
