// The agent API over a real Unix socket: the flows, token scope, and the rule that agents can
// never approve anything.
import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src/node/agent-api/agent-protocol.js';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { codeOf, startServerFixture, until, type ServerFixture } from './agent-fixture.js';

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

function auditKinds(f: ServerFixture) {
  return f.session.repo
    .readAuditRecords(0, 100_000)
    .map((r) => JSON.parse(r.json) as { kind: string; outcome: string; code?: string; actor: { id: string } });
}

describe('agent API flows', () => {
  it('the socket is 0600 inside the vault directory', async () => {
    fx = await startServerFixture();
    expect(statSync(fx.server.agentSocket).mode & 0o777).toBe(0o600);
    expect(statSync(fx.server.agentSocket).isSocket()).toBe(true);
  });

  it('stores and recalls levels 0-2 at once; level 3 is pending until the owner approves', async () => {
    fx = await startServerFixture();
    const { client, id } = await fx.agent('writer', 3);
    for (const level of [0, 1, 2] as const) {
      const m = await client.store({ content: `level ${level} note`, level, title: `L${level}` });
      expect(await client.recall(m.id, 'need it')).toMatchObject({ status: 'ok', content: `level ${level} note` });
    }
    const sealed = await client.store({ content: 'sealed secret', level: 3, title: 'sealed', metadata: { project: 'apollo' } });
    const pending = await client.recall(sealed.id, 'to finish the report');
    expect(pending.status).toBe('pending');
    if (pending.status !== 'pending') return;
    expect(await client.wait(pending.requestId, 50)).toMatchObject({ status: 'pending' });
    const view = fx.server.broker.view(pending.requestId);
    expect(view).toMatchObject({ state: 'pending', level: 3, justification: 'to finish the report', requester: { id, name: 'writer' } });
    expect(JSON.stringify(view)).not.toContain('sealed secret');
    const waiting = client.wait(pending.requestId, 10_000);
    fx.server.broker.decide(pending.requestId, { approve: true }, 'terminal', view.digest);
    expect(await waiting).toMatchObject({ status: 'ok', content: 'sealed secret' });
    // Delivered once: the result is gone afterwards.
    expect(await codeOf(client.wait(pending.requestId, 0))).toBe('NOT_FOUND');
    const kinds = auditKinds(fx).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['memory.store', 'memory.recall', 'approval.requested', 'approval.granted']));
    expect(auditKinds(fx).filter((e) => e.kind === 'memory.recall' && e.actor.id === id)).toHaveLength(4);
  });

  it('deny and expiry reach the waiting agent as APPROVAL_DENIED and APPROVAL_EXPIRED', async () => {
    fx = await startServerFixture({ approvalTimeoutMs: 300 });
    const { client } = await fx.agent('asker', 3);
    const m = await client.store({ content: 'x', level: 3, title: 'sealed' });
    const a = await client.recall(m.id, 'first');
    if (a.status !== 'pending') throw new Error('expected pending');
    fx.server.broker.decide(a.requestId, { approve: false }, 'terminal', fx.server.broker.view(a.requestId).digest);
    expect(await codeOf(client.wait(a.requestId, 5_000))).toBe('APPROVAL_DENIED');
    const b = await client.recall(m.id, 'second');
    if (b.status !== 'pending') throw new Error('expected pending');
    expect(await codeOf(client.wait(b.requestId, 5_000))).toBe('APPROVAL_EXPIRED');
    const kinds = auditKinds(fx).map((e) => `${e.kind}:${e.code ?? ''}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['approval.denied:', 'approval.expired:', 'memory.recall:APPROVAL_DENIED', 'memory.recall:APPROVAL_EXPIRED']),
    );
  });

  it('token scope: level and namespace bounds, revoked and wrong tokens', async () => {
    fx = await startServerFixture();
    const owner = await fx.agent('wide', 5);
    const narrow = await fx.agent('narrow', 1, ['team-a']);
    const l2 = await owner.client.store({ content: 'private', level: 2, title: 'p' });
    expect(await codeOf(narrow.client.store({ content: 'x', level: 2, title: 't', namespace: 'team-a' }))).toBe('FORBIDDEN');
    expect(await codeOf(narrow.client.recall(l2.id))).toBe('NOT_FOUND'); // other namespace: looks absent
    const inA = await owner.client.store({ content: 'a', level: 2, title: 'a', namespace: 'team-a' });
    expect(await codeOf(narrow.client.recall(inA.id))).toBe('FORBIDDEN');
    expect((await narrow.client.list()).every((m) => m.level <= 1 && m.namespace === 'team-a')).toBe(true);

    fx.server.registry.revoke(narrow.id);
    expect(await codeOf(narrow.client.health())).toBe('UNAUTHORIZED');

    const wrong = await AgentClient.connect({ socketPath: fx.server.agentSocket, token: 'mvt_not-a-real-token' }).catch((e: unknown) => e);
    expect((wrong as { code?: string }).code).toBe('UNAUTHORIZED');
    // A wrong token learns nothing: the same answer whether or not the memory exists.
    const raw = await rawExchange(fx.server.agentSocket, [
      { jsonrpc: '2.0', id: 1, method: 'auth.login', params: { token: 'mvt_guess' } },
      { jsonrpc: '2.0', id: 2, method: 'memory.recall', params: { memoryId: l2.id } },
      { jsonrpc: '2.0', id: 3, method: 'memory.recall', params: { memoryId: '00000000-0000-4000-8000-000000000000' } },
    ]);
    expect(raw.map((r) => (r as { error?: { data: { code: string } } }).error?.data.code)).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
    ]);
  });

  it('agents can never approve: every method with every token leaves requests pending, except cancelling their own', async () => {
    fx = await startServerFixture();
    const tokens = await Promise.all([fx.agent('a0', 0), fx.agent('a3', 3), fx.agent('a5', 5), fx.agent('ns', 5, ['other'])]);
    const requester = tokens[1];
    const m = await requester.client.store({ content: 'guarded', level: 3, title: 'guarded' });
    const r = await requester.client.recall(m.id, 'please');
    if (r.status !== 'pending') throw new Error('expected pending');
    const paramsFor: Record<string, object> = {
      'auth.login': { token: requester.token },
      'memory.store': { content: 'x', level: 0, title: 'x' },
      'memory.recall': { memoryId: m.id, justification: 'again' },
      'memory.search': { query: 'guarded' },
      'memory.list': {},
      'request.status': { requestId: r.requestId },
      'request.wait': { requestId: r.requestId, timeoutMs: 10 },
      'request.cancel': { requestId: r.requestId },
      'vault.health': {},
      // Issue 19: a handle is metadata; a use of a command nobody allowed is refused before any approval.
      'memory.handle': { memoryId: m.id },
      'memory.use': { command: { exec: '/bin/true', argv: [] }, env: { X: `mv://default/${m.id}` } },
    };
    expect(Object.keys(paramsFor).sort()).toEqual([...METHOD_NAMES].sort());
    // Also try approval-shaped params on every method: they are rejected by the strict schemas.
    const extra = { approve: true, decision: 'approved', state: 'approved' };
    for (const t of tokens) {
      for (const method of METHOD_NAMES) {
        if (method === 'request.cancel' && t === requester) continue;
        await rawExchange(fx.server.agentSocket, [
          { jsonrpc: '2.0', id: 1, method: 'auth.login', params: { token: t.token } },
          { jsonrpc: '2.0', id: 2, method, params: paramsFor[method] },
          { jsonrpc: '2.0', id: 3, method, params: { ...paramsFor[method], ...extra } },
          {
            jsonrpc: '2.0',
            id: 4,
            method: 'approvals.decide',
            params: { requestId: r.requestId, approve: true, digest: fx.server.broker.view(r.requestId).digest },
          },
        ]);
        expect({ token: t.id, method, state: fx.server.broker.view(r.requestId).state }).toEqual({ token: t.id, method, state: 'pending' });
      }
    }
    // Only pending requests from the re-sent recalls exist besides ours; none was approved.
    expect(fx.server.broker.pending().every((p) => p.state === 'pending')).toBe(true);
    expect(auditKinds(fx).some((e) => e.kind === 'approval.granted')).toBe(false);
    // The requester may cancel its own request, and that is the only state change an agent can make.
    expect(await requester.client.cancel(r.requestId)).toMatchObject({ state: 'cancelled' });
    expect(await codeOf(requester.client.wait(r.requestId, 1000))).toBe('APPROVAL_CANCELLED');
  });

  it('refuses oversized frames and keeps serving other clients', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('steady', 1);
    const answer = await new Promise<string>((resolve) => {
      const s = connect(fx!.server.agentSocket);
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
      s.write(Buffer.alloc(3 * 1024 * 1024, 0x61));
    });
    expect(answer).toMatch(/Frame larger than/);
    expect(await client.health()).toMatchObject({ ok: true });
  });

  it('50 concurrent agents doing 1,000 mixed calls each all get correct answers', async () => {
    fx = await startServerFixture({
      limits: { perConnection: { ratePerSecond: 1e6, burst: 1e6 }, perAgent: { ratePerSecond: 1e6, burst: 1e6 } },
    });
    const agents = await Promise.all(Array.from({ length: 50 }, (_, i) => fx!.agent(`agent-${i}`, 2, [`ns-${i}`])));
    const results = await Promise.all(
      agents.map(async ({ client }, i) => {
        let correct = 0;
        const mine: { id: string; content: string }[] = [];
        for (let k = 0; k < 1000; k++) {
          const op = k % 5;
          if (op === 0 || mine.length === 0) {
            const content = `agent ${i} memory ${k}`;
            const m = await client.store({ content, level: (k % 3) as 0 | 1 | 2, title: `a${i}m${k}`, namespace: `ns-${i}` });
            mine.push({ id: m.id, content });
            correct++;
          } else if (op === 1 || op === 2) {
            const pick = mine[k % mine.length]!;
            const r = await client.recall(pick.id, 'check');
            if (r.status === 'ok' && r.content === pick.content) correct++;
          } else if (op === 3) {
            const found = await client.search(`a${i}m`, { limit: 5 });
            if (found.every((f) => f.namespace === `ns-${i}`)) correct++;
          } else {
            const h = await client.health();
            if (h.ok) correct++;
          }
        }
        return correct;
      }),
    );
    expect(results).toEqual(Array(50).fill(1000));
  }, 240_000);
});

describe('connection lifecycle', () => {
  it('the client reconnects (and logs in again) after its connection drops', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('flaky', 1);
    const m = await client.store({ content: 'before', level: 1, title: 'b' });
    (client as unknown as { socket: { destroy(): void } }).socket.destroy();
    await new Promise((r) => setTimeout(r, 20));
    expect(await client.recall(m.id)).toMatchObject({ status: 'ok', content: 'before' });
  });

  it('graceful shutdown finishes in-flight requests before closing', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('busy', 1);
    const inFlight = Array.from({ length: 50 }, (_, i) => client.store({ content: `late ${i}`, level: 1, title: `late ${i}` }));
    await Promise.race(inFlight);
    const closing = fx.server.close();
    const settled = await Promise.allSettled(inFlight);
    await closing;
    const stored = settled.filter((s) => s.status === 'fulfilled').length;
    // Everything the server had received completed; the rest was refused, never half-done.
    expect(fx.session.engine.status().memories[1]).toBe(stored);
    expect(stored).toBeGreaterThan(0);
  });
});

async function rawExchange(socketPath: string, messages: object[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const s = connect(socketPath);
    let buf = '';
    const out: unknown[] = [];
    s.on('data', (d) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        out.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
      if (out.length >= messages.length) {
        s.end();
        resolve(out.sort((a, b) => Number((a as { id: number }).id) - Number((b as { id: number }).id)));
      }
    });
    s.on('error', reject);
    // Login first, then the rest once it has been answered (requests on one connection run concurrently).
    s.write(`${JSON.stringify(messages[0])}\n`);
    void until(() => (out.length >= 1 ? true : undefined)).then(() => {
      for (const m of messages.slice(1)) s.write(`${JSON.stringify(m)}\n`);
    });
  });
}
