// A test fixture that plays the Electron main process: a real DesktopBackend (real vault in a
// temp dir), the real handlers behind the real sender policy, the renderer bundle served with
// the production security headers, and main's events pushed into the page.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { allHandlers } from '../../../src/main/ipc/all.handlers.js';
import { createSenderPolicy } from '../../../src/main/ipc/sender-policy.js';
import { DesktopBackend } from '../../../src/main/services/desktop-backend.service.js';
import type { KeyfileChooser } from '../../../src/main/services/desktop-credentials.js';
import type { TpmAccess } from '../../../src/node/vault/credentials.js';
import { contentTypeOf } from '../../../src/main/window/bundle-path.js';
import { securityHeaders } from '../../../src/main/window/csp.js';
import { AgentClient } from '../../../src/node/agent-api/agent-client.js';
import { startVaultServer, type RunningServer } from '../../../src/node/agent-api/vault-server.js';
import { approvalsChangedEvent } from '../../../src/shared/approvals.contract.js';
import { operationProgressEvent } from '../../../src/shared/progress.contract.js';
import type { FileChooser } from '../../../src/main/services/desktop-files.js';
import { vaultStateChangedEvent } from '../../../src/shared/vault.contract.js';
import { vaultChangedEvent } from '../../../src/shared/live.contract.js';
import type { VaultSession } from '../../../src/node/vault/vault-session.js';
import type { HardwareKeyBindingOptions } from '../../../src/node/hardware/vault-hardware-key.js';
import type { BoundaryDeps } from '../../../src/node/integrations/vault-boundary-gate.js';
import type { KeyTouchOptions } from '../../../src/main/services/desktop-key-touch.js';
import { keyTouchStatusEvent } from '../../../src/shared/key-touch.contract.js';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
/** The page's origin in the browser build (production uses app://memory-vault). */
export const TEST_ORIGIN = 'http://memory-vault.localhost';
export const PASSPHRASE = 'correct horse battery staple';
const CHEAP_KDF = { opsLimit: 1, memLimitBytes: 8 * 1024 * 1024 };

export interface AgentSpec {
  readonly name: string;
  readonly maxLevel: 0 | 1 | 2 | 3 | 4 | 5;
}
export const researchBot: AgentSpec = { name: 'Research Bot', maxLevel: 5 };

export interface VaultApp {
  readonly backend: DesktopBackend;
  readonly root: string;
  /** A real agent client connected over the vault's Unix socket with a fresh token. */
  agent(spec: AgentSpec): Promise<AgentClient>;
  /** A real agent client over the vault's Unix socket with a token the owner handed out (e.g. copied from the UI). */
  connectWithToken(token: string): Promise<AgentClient>;
  open(): Promise<void>;
  close(): Promise<void>;
  /** Push an event into the page as main would (e.g. what a click on an approval notification sends). */
  emit(channel: string, payload: unknown): void;
}

/**
 * Where the fixture's file chooser points (the owner's dialogs in Electron): files the app saves go
 * to the temp root under the suggested name; a restore goes to <root>/restored; files the app opens
 * are read from <root>/<purpose> (e.g. <root>/age-identity), which the test writes first.
 */
export function testFilePath(root: string, purpose: string, suggestedName: string | undefined): string {
  if (purpose === 'restore-folder') return join(root, 'restored');
  return join(root, suggestedName ?? purpose);
}

export async function startVaultApp(
  page: Page,
  opts: {
    approvalTimeoutMs?: number;
    /** How soon main clears a copied secret from the (in-memory) clipboard; default 30 s. */
    clipboardClearMs?: number;
    create?: boolean;
    /** Replaces the default file chooser (testFilePath). */
    chooseFile?: FileChooser;
    /** The level-5 transport (tests: the soft CTAP2 authenticator behind the HID interface). */
    hardwareKey?: HardwareKeyBindingOptions;
    /** The boundary gate's seams (a fake daemon that attests offline, or one that refuses). */
    boundary?: BoundaryDeps;
    /** Touch deadline and retry window of the level-5 step. */
    keyTouch?: KeyTouchOptions;
    /** Where a keyfile vault's keyfile is (the open dialog in Electron); default: <root>/keyfile. */
    chooseKeyfile?: KeyfileChooser;
    /** How to reach the TPM (a swtpm TCTI) for a TPM-bound vault. */
    tpm?: TpmAccess;
    /** Told of each unlocked session and its agent server (e.g. to add allowlist entries). */ onServer?: (
      session: VaultSession,
      server: RunningServer,
    ) => void;
  } = {},
): Promise<VaultApp> {
  const root = mkdtempSync(join(tmpdir(), 'mv-e2e-'));
  let server: RunningServer | null = null;
  const clients = new Map<string, AgentClient>();
  const backend = new DesktopBackend({
    // The same agent socket server the desktop main process starts for an unlocked vault.
    startAgentServer: async (session) => {
      server = await startVaultServer(session);
      opts.onServer?.(session, server);
      return server;
    },
    vaultDir: join(root, 'vault'),
    kdfCost: CHEAP_KDF,
    ...(opts.clipboardClearMs !== undefined ? { clipboard: { clearAfterMs: opts.clipboardClearMs } } : {}),
    session: { config: { approvalTimeoutMs: opts.approvalTimeoutMs ?? 5 * 60_000 }, ...(opts.tpm ? { tpm: opts.tpm } : {}) },
    chooseKeyfile: opts.chooseKeyfile ?? (() => Promise.resolve(join(root, 'keyfile'))),
    chooseExportPath: (name) => Promise.resolve(join(root, name)),
    ...(opts.hardwareKey ? { hardwareKey: opts.hardwareKey } : {}),
    ...(opts.boundary ? { boundary: opts.boundary } : {}),
    ...(opts.keyTouch ? { keyTouch: opts.keyTouch } : {}),
    chooseFile: opts.chooseFile ?? ((r) => Promise.resolve(testFilePath(root, r.purpose, r.suggestedName))),
  });
  if (opts.create !== false) await backend.create(PASSPHRASE);

  const policy = createSenderPolicy({ origins: [TEST_ORIGIN], bundleDir: null });
  const handlers = new Map(allHandlers(policy, backend).map((h) => [h.channel, h.listener]));
  await page.exposeBinding('__vaultInvoke', async (source, channel: unknown, args: unknown) => {
    const listener = typeof channel === 'string' ? handlers.get(channel) : undefined;
    if (!listener) return { ok: false, error: { code: 'NOT_FOUND', message: 'No such channel.', details: {} } };
    return listener({ senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() } }, args);
  });
  await page.addInitScript({ path: join(ROOT, 'out/e2e/page-bridge.js') });

  const push = (channel: string, payload: unknown): void => {
    page
      .evaluate(([c, p]) => (window as unknown as { __vaultEmit: (c: string, p: unknown) => void }).__vaultEmit(c, p), [
        channel,
        payload,
      ] as const)
      .catch(() => undefined);
  };
  const offApprovals = backend.onApprovalsChanged((view) => push(approvalsChangedEvent.channel, { request: view }));
  const offLock = backend.onDidLock(() => push(vaultStateChangedEvent.channel, { state: 'locked' }));
  const offProgress = backend.onProgress((p) => push(operationProgressEvent.channel, p));
  const offLive = backend.onVaultChanged((topics) => push(vaultChangedEvent.channel, { topics }));
  const offTouch = backend.keyTouch.onStatus((attempt) => push(keyTouchStatusEvent.channel, { attempt }));

  const rendererDir = join(ROOT, 'out/renderer');
  await page.route(`${TEST_ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = join(rendererDir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(rendererDir)) return route.fulfill({ status: 404 });
    try {
      await route.fulfill({
        status: 200,
        body: readFileSync(file),
        headers: { ...securityHeaders(), 'Content-Type': contentTypeOf(file) },
      });
    } catch {
      await route.fulfill({ status: 404 });
    }
  });
  // Anything else the page might try to reach is refused (the CSP should already stop it).
  await page.route(
    (url) => !url.href.startsWith(TEST_ORIGIN),
    (route) => route.abort(),
  );

  return {
    backend,
    root,
    async agent(spec) {
      const known = clients.get(spec.name);
      if (known) return known;
      if (!server) throw new Error('the vault is not unlocked: no agent server');
      const { token } = server.registry.create({ name: spec.name, maxLevel: spec.maxLevel, namespaces: null, expiresAt: null });
      const client = await AgentClient.connect({ socketPath: server.agentSocket, token });
      clients.set(spec.name, client);
      return client;
    },
    async connectWithToken(token) {
      if (!server) throw new Error('the vault is not unlocked: no agent server');
      const client = await AgentClient.connect({ socketPath: server.agentSocket, token, timeoutMs: 10_000 });
      clients.set(`token:${clients.size}`, client);
      return client;
    },
    open: async () => {
      await page.goto(`${TEST_ORIGIN}/index.html`);
    },
    emit: push,
    close: async () => {
      for (const c of clients.values()) c.close();
      offApprovals();
      offTouch();
      offLock();
      offProgress();
      offLive();
      await backend.lock();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export type RecallOutcome = { ok: true; content: string } | { ok: false; code: string };

function codeOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : `THREW ${String(e)}`;
}

/**
 * An agent's recall over the real socket: `memory.recall`, and when the answer is "pending",
 * `request.wait` until the owner decides (or the request expires).
 */
export async function agentRecall(
  app: VaultApp,
  memoryId: string,
  justification: string,
  spec: AgentSpec = researchBot,
): Promise<RecallOutcome> {
  const client = await app.agent(spec);
  try {
    let answer = await client.recall(memoryId, justification);
    if (answer.status === 'pending') answer = await client.wait(answer.requestId, 60_000);
    if (answer.status !== 'ok') return { ok: false, code: 'STILL_PENDING' };
    return { ok: true, content: answer.content ?? Buffer.from(answer.contentBase64 ?? '', 'base64').toString('utf8') };
  } catch (e) {
    return { ok: false, code: codeOf(e) };
  }
}
