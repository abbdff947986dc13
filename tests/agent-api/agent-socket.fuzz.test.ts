// Robustness: ≥ 100k random and malformed frames against the real socket server. The server
// never crashes, never returns a result without a valid token, and keeps serving other clients.
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src/node/agent-api/agent-protocol.js';
import { startServerFixture, type ServerFixture } from './agent-fixture.js';
import { fuzzRuns } from '../support/fuzz.js';

const CASES = fuzzRuns(100_000);
let fx: ServerFixture;

beforeAll(async () => {
  fx = await startServerFixture({
    limits: { perConnection: { ratePerSecond: 1e7, burst: 1e7 }, perAgent: { ratePerSecond: 1e7, burst: 1e7 } },
  });
});
afterAll(async () => fx?.close());

const jsonish = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxKeys: 4 }),
);

const frame = fc.oneof(
  // raw bytes / text without structure
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1').replace(/\n/g, ' ')),
  fc.string({ maxLength: 200 }).map((s) => s.replace(/\n/g, ' ')),
  // structurally plausible JSON-RPC with random fields
  fc
    .record(
      {
        jsonrpc: fc.oneof(fc.constant('2.0'), fc.string({ maxLength: 4 })),
        id: fc.oneof(fc.integer({ min: 1, max: 1e9 }), fc.string({ maxLength: 10 }), fc.constant(null)),
        method: fc.oneof(
          fc.constantFrom(...METHOD_NAMES, 'approvals.decide', 'owner.login', '__proto__', 'constructor'),
          fc.string({ maxLength: 20 }),
        ),
        params: fc.oneof(
          jsonish,
          fc.record({
            token: fc.string({ maxLength: 60 }),
            requestId: fc.uuid(),
            memoryId: fc.string(),
            level: fc.integer(),
            content: fc.string(),
          }),
        ),
        extra: jsonish,
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
);

/** Send frames on one connection; collect every response line. */
function blast(frames: string[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect(fx.server.agentSocket);
    let buf = '';
    const out: unknown[] = [];
    s.on('data', (d) => {
      buf += d.toString('utf8');
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        out.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(out));
    s.write(`${frames.join('\n')}\n`, () => setTimeout(() => s.end(), 200));
  });
}

describe('agent socket fuzz', () => {
  it(`survives ${CASES.toLocaleString()} random frames without ever answering a result to an unauthenticated peer`, async () => {
    const frames = fc.sample(frame, { numRuns: CASES, seed: 0x5eed });
    expect(frames).toHaveLength(CASES);
    const batches = 50;
    const per = CASES / batches;
    let responses = 0;
    for (let b = 0; b < batches; b++) {
      const out = await blast(frames.slice(b * per, (b + 1) * per));
      responses += out.length;
      for (const r of out) {
        expect(r).toMatchObject({ jsonrpc: '2.0' });
        expect(r).not.toHaveProperty('result');
        expect(r).toHaveProperty('error.data.code');
      }
    }
    expect(responses).toBeGreaterThan(CASES / 2);
    // Still serving: a real agent works after the storm.
    const { client } = await fx.agent('after-fuzz', 1);
    const m = await client.store({ content: 'still alive', level: 1, title: 'alive' });
    expect(await client.recall(m.id)).toMatchObject({ status: 'ok', content: 'still alive' });
  }, 240_000);

  it("random frames after a valid login never crash the server or leak another agent's data", async () => {
    const other = await fx.agent('other', 2);
    const secret = await other.client.store({ content: 'OTHER-AGENT-CANARY', level: 2, title: 'other', namespace: 'private-ns' });
    const { token } = await fx.agent('fuzzer', 2, ['fuzz-ns']);
    const frames = fc.sample(frame, { numRuns: 5_000, seed: 7 });
    const login = JSON.stringify({ jsonrpc: '2.0', id: 'login', method: 'auth.login', params: { token } });
    const recallOther = JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 'memory.recall', params: { memoryId: secret.id } });
    const out = await blast([login, ...frames, recallOther]);
    expect(JSON.stringify(out)).not.toContain('OTHER-AGENT-CANARY');
    expect(await other.client.recall(secret.id)).toMatchObject({ content: 'OTHER-AGENT-CANARY' });
  }, 120_000);
});
