// Shared pieces for the IPC tests: sender events shaped like Electron's IpcMainInvokeEvent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allHandlers } from '../../src/main/ipc/all.handlers.js';
import type { RegisteredHandler } from '../../src/main/ipc/handle.js';
import { APP_ORIGIN, createSenderPolicy, type SenderEvent } from '../../src/main/ipc/sender-policy.js';
import { DesktopBackend } from '../../src/main/services/desktop-backend.service.js';
import { AGENT_SOCKET, startVaultServer } from '../../src/node/agent-api/vault-server.js';
import type { SessionOptions } from '../../src/node/vault/vault-session.js';
import { CHEAP_KDF } from '../support/vault-fixture.js';

export const BUNDLE_DIR = '/opt/memory-vault/resources/app/out/renderer';

export const appSender: SenderEvent = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } };
export const bundleFileSender: SenderEvent = { senderFrame: { url: `file://${BUNDLE_DIR}/index.html`, parent: null } };

export const foreignSenders: Record<string, SenderEvent> = {
  'another origin': { senderFrame: { url: 'https://evil.example/index.html', parent: null } },
  'a look-alike custom origin': { senderFrame: { url: 'app://memory-vault.evil/index.html', parent: null } },
  'a sub-frame of the app': { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: { url: `${APP_ORIGIN}/index.html` } } },
  'a file outside the bundle': { senderFrame: { url: 'file:///etc/passwd', parent: null } },
  'a destroyed frame': { senderFrame: null },
  'an unparsable url': { senderFrame: { url: 'not a url', parent: null } },
};

export interface Harness {
  readonly backend: DesktopBackend;
  readonly handlers: Map<string, RegisteredHandler>;
  readonly dir: string;
  readonly exportDir: string;
  /** The agent socket of the running server (only with `{ agentServer: true }`). */
  readonly agentSocket: string;
  call(channel: string, args: unknown, sender?: SenderEvent): ReturnType<RegisteredHandler['listener']>;
  close(): Promise<void>;
}

/** `agentServer`: start the real agent socket server for each unlocked session, as main does. */
export function harness(session: SessionOptions = {}, opts: { agentServer?: boolean } = {}): Harness {
  const root = mkdtempSync(join(tmpdir(), 'mv-ipc-'));
  const exportDir = join(root, 'exports');
  const backend = new DesktopBackend({
    vaultDir: join(root, 'vault'),
    kdfCost: CHEAP_KDF,
    session,
    chooseExportPath: (name) => Promise.resolve(join(root, name)),
    ...(opts.agentServer
      ? { startAgentServer: (s, ownerCredential) => startVaultServer(s, ownerCredential ? { ownerCredential } : {}) }
      : {}),
  });
  const policy = createSenderPolicy({ origins: [APP_ORIGIN], bundleDir: BUNDLE_DIR });
  const handlers = new Map(allHandlers(policy, backend).map((h) => [h.channel, h]));
  return {
    backend,
    handlers,
    dir: join(root, 'vault'),
    exportDir,
    agentSocket: join(root, 'vault', AGENT_SOCKET),
    call(channel, args, sender = appSender) {
      const h = handlers.get(channel);
      if (!h) throw new Error(`no handler for ${channel}`);
      return h.listener(sender, args);
    },
    async close() {
      await backend.lock();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
