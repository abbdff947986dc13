// Threat: same-user malware plants its own owner server over <vault>/owner.sock (hard link the
// real socket aside, listen on a temp path, rename it over owner.sock: the reproduced attack).
// Before, `memory-vault approvals` sent `owner.login {passphrase}` to whoever answered. Now the
// client runs OPAQUE: an impostor (without the server's registration and OPRF key) fails the
// client's check, the client refuses with SERVER_UNTRUSTED and sends nothing after the blinded
// login request; the bytes the impostor captured hold neither the passphrase (utf8, base64,
// base64url, hex) nor its SHA-256 nor the vault's Argon2id key. A relay that forwards to the real
// server lets the owner log in but can neither read the channel nor inject or replay a decision.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, renameSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { server as opaqueServer, ready as opaqueReady } from '@serenity-kit/opaque';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveFromPassphrase } from '../../src/core/crypto/passphrase-kdf.js';
import { OwnerClient } from '../../src/node/agent-api/owner-client.js';
import { LoginBackoff } from '../../src/node/owner-channel/login-backoff.js';
import { readVaultHeader } from '../../src/node/vault/vault-header.js';
import { vaultPaths } from '../../src/node/vault/vault-paths.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { codeOf, startServerFixture, until, type ServerFixture } from '../agent-api/agent-fixture.js';

const BIN = join(process.cwd(), 'bin', 'memory-vault.js');
const SERVER_UNTRUSTED_EXIT = 38;
const BAD_CREDENTIALS_EXIT = 30;

let fx: ServerFixture | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) c();
  await fx?.close();
  fx = undefined;
});

interface Planted {
  /** Every byte the planted server received from the owner client. */
  readonly fromClient: Buffer[];
  /** Every byte that went back to the client (relay only: what the real server sent). */
  readonly toClient: Buffer[];
  /** Relay only: the upstream connections to the real server. */
  readonly upstreams: Socket[];
}

/** The attack: link owner.sock aside, listen on a temp path, rename it over owner.sock. */
async function plant(ownerSock: string, mode: 'impostor' | 'relay'): Promise<Planted & { aside: string }> {
  const aside = `${ownerSock}.real`;
  linkSync(ownerSock, aside);
  const temp = join(ownerSock, '..', `.fake-${process.pid}.sock`);
  const planted: Planted = { fromClient: [], toClient: [], upstreams: [] };
  await opaqueReady;
  const fakeSetup = opaqueServer.createSetup();
  const fake: Server = createServer((s) => {
    s.on('error', () => undefined);
    if (mode === 'relay') {
      const up = connect(aside);
      planted.upstreams.push(up);
      up.on('error', () => undefined);
      s.on('data', (d: Buffer) => {
        planted.fromClient.push(Buffer.from(d));
        up.write(d);
      });
      up.on('data', (d: Buffer) => {
        planted.toClient.push(Buffer.from(d));
        s.write(d);
      });
      up.on('close', () => s.destroy());
      s.on('close', () => up.destroy());
      return;
    }
    // The strongest impostor that does not relay: a real OPAQUE server of its own, no record.
    let buf = '';
    s.on('data', (d: Buffer) => {
      planted.fromClient.push(Buffer.from(d));
      buf += d.toString('utf8');
      for (let i = buf.indexOf('\n'); i !== -1; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const msg = JSON.parse(line) as { id: number; method: string; params: { startLoginRequest?: string } };
        if (msg.method === 'owner.login.start' && msg.params.startLoginRequest) {
          const r = opaqueServer.startLogin({
            serverSetup: fakeSetup,
            registrationRecord: null,
            startLoginRequest: msg.params.startLoginRequest,
            userIdentifier: 'memory-vault-owner',
          });
          s.write(`${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { loginResponse: r.loginResponse } })}\n`);
        } else s.write(`${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { ok: true } })}\n`);
      }
    });
  });
  await new Promise<void>((r) => fake.listen(temp, () => r()));
  renameSync(temp, ownerSock);
  cleanups.push(() => {
    fake.close();
    for (const u of planted.upstreams) u.destroy();
  });
  return { ...planted, aside };
}

/** Every encoding of the passphrase and of what derives from it without the server's secret. */
async function forbiddenNeedles(dir: string): Promise<{ name: string; bytes: Buffer }[]> {
  const header = readVaultHeader(vaultPaths(dir).header);
  const source = header.profiles[0]?.source;
  if (source?.kind !== 'passphrase') throw new Error('expected a passphrase vault');
  const pass = Buffer.from(TEST_PASSPHRASE, 'utf8');
  const sha = createHash('sha256').update(pass).digest();
  const argon = await deriveFromPassphrase(TEST_PASSPHRASE, source.kdf);
  const needles: { name: string; bytes: Buffer }[] = [];
  for (const [name, raw] of [
    ['passphrase', pass],
    ['sha256(passphrase)', sha],
    ['argon2id key', argon],
  ] as const) {
    needles.push({ name: `${name} raw`, bytes: raw });
    for (const enc of ['base64', 'base64url', 'hex'] as const)
      needles.push({ name: `${name} ${enc}`, bytes: Buffer.from(raw.toString(enc), 'utf8') });
    needles.push({ name: `${name} HEX`, bytes: Buffer.from(raw.toString('hex').toUpperCase(), 'utf8') });
  }
  // base64 of the passphrase without padding, as a substring of longer base64 could show it.
  needles.push({ name: 'passphrase base64 unpadded', bytes: Buffer.from(pass.toString('base64').replace(/=+$/, ''), 'utf8') });
  return needles;
}

async function expectNothingDerived(dir: string, captured: Buffer[]): Promise<void> {
  const all = Buffer.concat(captured);
  expect(all.length).toBeGreaterThan(0);
  const found = (await forbiddenNeedles(dir)).filter((n) => all.includes(n.bytes)).map((n) => n.name);
  expect(found).toEqual([]);
}

function linesOf(captured: Buffer[]): string[] {
  return Buffer.concat(captured).toString('utf8').split('\n').filter(Boolean);
}

function runCli(
  dir: string,
  args: string[],
  passphrase = TEST_PASSPHRASE,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const pp = join(dir, '..', 'passphrase');
  writeFileSync(pp, passphrase, { mode: 0o600 });
  const env = { ...process.env, MEMORY_VAULT_DIR: dir, MEMORY_VAULT_PASSPHRASE_FILE: pp };
  return new Promise((resolve) => {
    // Asynchronous: the real server and the impostor live in this process's event loop.
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('a fake owner server planted over owner.sock', () => {
  it('the owner client refuses it with SERVER_UNTRUSTED and it captures only the blinded login request', async () => {
    fx = await startServerFixture();
    const planted = await plant(fx.server.ownerSocket, 'impostor');
    const c = await OwnerClient.tryConnect(fx.server.ownerSocket);
    if (!c) throw new Error('no socket');
    expect(await codeOf(c.login(TEST_PASSPHRASE))).toBe('SERVER_UNTRUSTED');
    expect(await codeOf(c.call('approvals.list'))).toBe('SERVER_UNTRUSTED');
    c.close();
    // Nothing after the first message: no login finish, no request.
    const lines = linesOf(planted.fromClient);
    expect(lines.map((l) => (JSON.parse(l) as { method: string }).method)).toEqual(['owner.login.start']);
    await expectNothingDerived(fx.dir, planted.fromClient);
  });

  it('`memory-vault approvals` exits with SERVER_UNTRUSTED (38) and sends it nothing derived from the passphrase', async () => {
    if (!existsSync(join(process.cwd(), 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build:node` first.');
    fx = await startServerFixture();
    const { client } = await fx.agent('asker', 3);
    const m = await client.store({ content: 'l3 sealed launch codes', level: 3, title: 'codes' });
    const r = await client.recall(m.id, 'please');
    if (r.status !== 'pending') throw new Error('expected pending');
    const planted = await plant(fx.server.ownerSocket, 'impostor');
    const list = await runCli(fx.dir, ['--json', 'approvals', '--list']);
    expect(list.status).toBe(SERVER_UNTRUSTED_EXIT);
    expect(list.stdout + list.stderr).toContain('SERVER_UNTRUSTED');
    const decide = await runCli(fx.dir, ['approvals', '--approve', r.requestId]);
    expect(decide.status).toBe(SERVER_UNTRUSTED_EXIT);
    expect(linesOf(planted.fromClient).map((l) => (JSON.parse(l) as { method: string }).method)).toEqual([
      'owner.login.start',
      'owner.login.start',
    ]);
    await expectNothingDerived(fx.dir, planted.fromClient);
    expect(fx.server.broker.pending().map((p) => p.requestId)).toEqual([r.requestId]);
  });

  it('against the real server, a mistyped passphrase is BAD_CREDENTIALS (30), not SERVER_UNTRUSTED, and the server audits it', async () => {
    if (!existsSync(join(process.cwd(), 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build:node` first.');
    let now = 0;
    fx = await startServerFixture({ server: { ownerBackoff: new LoginBackoff(() => now) } });
    const wrong = await runCli(fx.dir, ['--json', 'approvals', '--list'], 'correct horse battery stapler');
    expect(wrong.status).toBe(BAD_CREDENTIALS_EXIT);
    expect(wrong.stdout + wrong.stderr).toContain('BAD_CREDENTIALS');
    const f = fx;
    const refused = await until(() => {
      const ev = f.session.repo
        .readAuditRecords(0, 10_000)
        .map((x) => JSON.parse(x.json) as { kind: string; outcome: string; code?: string })
        .filter((e) => e.kind === 'owner.auth');
      return ev.length ? ev : undefined;
    });
    expect(refused.map((e) => `${e.outcome}:${e.code ?? ''}`)).toEqual(['refused:BAD_CREDENTIALS']);
    now += 250; // the backoff after one unfinished login, on the injected clock
    const right = await runCli(fx.dir, ['--json', 'approvals', '--list']);
    expect(right.status).toBe(0);
  });

  it('a relay to the real server lets the owner in but reads nothing and cannot inject or replay approvals.decide', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('relay-target', 3);
    const m = await client.store({ content: 'l3 sealed launch codes', level: 3, title: 'codes' });
    const r = await client.recall(m.id, 'please');
    if (r.status !== 'pending') throw new Error('expected pending');
    const planted = await plant(fx.server.ownerSocket, 'relay');
    const c = await OwnerClient.tryConnect(fx.server.ownerSocket);
    if (!c) throw new Error('no socket');
    await c.login(TEST_PASSPHRASE);
    const pending = await c.call<{ requestId: string; digest: string }[]>('approvals.list');
    expect(pending.map((p) => p.requestId)).toEqual([r.requestId]);
    // The relay saw the list only sealed: no request id, no agent name, no method names.
    const seen = Buffer.concat([...planted.fromClient, ...planted.toClient]).toString('utf8');
    expect(seen).not.toContain(r.requestId);
    expect(seen).not.toContain('relay-target');
    expect(seen).not.toContain('approvals');
    await expectNothingDerived(fx.dir, planted.fromClient);

    const up = planted.upstreams[0];
    if (!up) throw new Error('no upstream');
    // Replay the client's last sealed frame (its approvals.list), then inject a decision in clear.
    const clientLines = linesOf(planted.fromClient);
    const replay = clientLines[clientLines.length - 1] ?? '';
    const upClosed = new Promise<void>((res) => up.once('close', () => res()));
    up.write(`${replay}\n`);
    up.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'approvals.decide', params: { requestId: r.requestId, approve: true, digest: pending[0]?.digest } })}\n`,
    );
    // The real server drops the connection on the first frame that does not open.
    await upClosed;
    expect(fx.server.broker.pending().map((p) => [p.requestId, p.state])).toEqual([[r.requestId, 'pending']]);
    const f = fx;
    const kinds = f.session.repo.readAuditRecords(0, 10_000).map((x) => (JSON.parse(x.json) as { kind: string }).kind);
    expect(kinds).not.toContain('approval.granted');
    // The client's connection is gone with it: its next call fails instead of being answered by the relay.
    expect(await codeOf(c.call('approvals.list'))).not.toBe('OK');
    c.close();
    // A fresh, direct login still works and the request is still the owner's to decide.
    const direct = await until(() => (existsSync(planted.aside) ? planted.aside : undefined));
    const d = await OwnerClient.tryConnect(direct);
    if (!d) throw new Error('no real socket');
    await d.login(TEST_PASSPHRASE);
    expect((await d.call<{ requestId: string }[]>('approvals.list')).map((p) => p.requestId)).toEqual([r.requestId]);
    d.close();
  });
});
