import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import { methodTable, serveFrame } from './method-table.js';
import { ProtocolRefusal } from './rpc-reply.js';

const seen: unknown[] = [];
const schemas = {
  'echo.twice': z.object({ n: z.number().int() }).strict(),
  'fail.vault': z.object({}).strict(),
  'fail.protocol': z.object({}).strict(),
  'fail.bug': z.object({}).strict(),
} as const;
const table = methodTable<typeof schemas, string>(schemas, {
  'echo.twice': (p, ctx) => {
    seen.push(ctx);
    return { doubled: p.n * 2 };
  },
  'fail.vault': () => {
    throw new VaultError('FORBIDDEN', 'Not for you.', { level: 4 });
  },
  'fail.protocol': () => {
    throw new ProtocolRefusal(-32602, 'Malformed.');
  },
  'fail.bug': () => {
    throw new Error('internal detail /home/secret/path');
  },
});

const line = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('serveFrame', () => {
  it('runs the handler on the parsed params with the connection context', async () => {
    seen.length = 0;
    expect(await serveFrame(line({ jsonrpc: '2.0', id: 7, method: 'echo.twice', params: { n: 21 } }), table, 'conn-1')).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: { doubled: 42 },
    });
    expect(seen).toEqual(['conn-1']);
  });

  it('answers protocol errors with the reserved codes and INVALID_INPUT, echoing a readable id', async () => {
    expect(await serveFrame(Buffer.from('{nope'), table, '')).toMatchObject({
      id: null,
      error: { code: -32700, data: { code: 'INVALID_INPUT' } },
    });
    expect(await serveFrame(Buffer.from([0x7b, 0xff, 0x7d]), table, '')).toMatchObject({ id: null, error: { code: -32700 } });
    expect(await serveFrame(line({ jsonrpc: '1.0', id: 'a', method: 'echo.twice' }), table, '')).toMatchObject({
      id: 'a',
      error: { code: -32600, data: { code: 'INVALID_INPUT' } },
    });
    expect(await serveFrame(line({ jsonrpc: '2.0', id: 2, method: 'no.such' }), table, '')).toMatchObject({
      id: 2,
      error: { code: -32601, message: 'Unknown method "no.such".' },
    });
    const bad = await serveFrame(line({ jsonrpc: '2.0', id: 3, method: 'echo.twice', params: { n: 1.5 } }), table, '');
    expect(bad).toMatchObject({ id: 3, error: { code: -32602, data: { code: 'INVALID_INPUT' } } });
    expect(JSON.stringify(bad)).toContain('Invalid params for echo.twice: n:');
  });

  it('maps handler failures to their stable code; an unexpected exception is INTERNAL without its message', async () => {
    expect(await serveFrame(line({ jsonrpc: '2.0', id: 1, method: 'fail.vault', params: {} }), table, '')).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32003, message: 'Not for you.', data: { code: 'FORBIDDEN', details: { level: 4 } } },
    });
    expect(await serveFrame(line({ jsonrpc: '2.0', id: 2, method: 'fail.protocol', params: {} }), table, '')).toMatchObject({
      error: { code: -32602, data: { code: 'INVALID_INPUT' } },
    });
    const bug = await serveFrame(line({ jsonrpc: '2.0', id: 3, method: 'fail.bug', params: {} }), table, '');
    expect(bug).toMatchObject({ error: { code: -32030, data: { code: 'INTERNAL' } } });
    expect(JSON.stringify(bug)).not.toContain('secret');
  });

  it('executes a notification without answering it, and ignores empty lines', async () => {
    seen.length = 0;
    expect(await serveFrame(line({ jsonrpc: '2.0', method: 'echo.twice', params: { n: 1 } }), table, 'n')).toBeNull();
    expect(seen).toEqual(['n']);
    expect(await serveFrame(Buffer.alloc(0), table, '')).toBeNull();
    expect(await serveFrame('\r', table, '')).toBeNull();
  });

  it('a refusal from the policy stops the call before the method is looked up or run', async () => {
    seen.length = 0;
    const refused: string[] = [];
    const policy = { admit: (_id: unknown, m: string) => (refused.push(m), new VaultError('RATE_LIMITED', 'Slow down.')) };
    expect(await serveFrame(line({ jsonrpc: '2.0', id: 1, method: 'echo.twice', params: { n: 1 } }), table, '', policy)).toMatchObject({
      error: { code: -32023, data: { code: 'RATE_LIMITED' } },
    });
    expect(await serveFrame(line({ jsonrpc: '2.0', id: 2, method: 'no.such' }), table, '', policy)).toMatchObject({
      error: { data: { code: 'RATE_LIMITED' } },
    });
    expect(refused).toEqual(['echo.twice', 'no.such']);
    expect(seen).toEqual([]);
  });
});
