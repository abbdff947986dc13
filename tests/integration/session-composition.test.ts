// One composition of the owner session for every surface (issue 15 item 1, issue 18 item 1):
// the desktop backend's session has the same gates as the CLI's — the boundary gate refuses a
// level-4 reveal on an online machine with the same code and reason as the CLI's session, and
// releases it where the boundary attests offline; the FIDO2 key (the software CTAP2
// authenticator behind the HID interface) is bound as the level-5 gate. And a source check: only
// the composition opens vaults for the surfaces, so none of them can hand-wire a session.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkProbe, NetworkState } from '../../src/core/integrations/boundary/local-environment-gate.js';
import type { Requester } from '../../src/core/model/requester.js';
import { DesktopBackend } from '../../src/main/services/desktop-backend.service.js';
import { composeOwnerSession } from '../../src/node/composition/compose-owner-session.js';
import { registerHardwareKey } from '../../src/node/hardware/hardware-key-admin.js';
import { cliSurface } from '../../src/cli/io/vault-access.js';
import { createSoftKey, transportFor, type SoftKey } from '../support/fido2/soft-key.js';
import { CHEAP_KDF, passphrase, TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { rejection } from '../hardware/support.js';

const DESKTOP_OWNER: Requester = { kind: 'owner', channel: 'desktop' };
const CLI_OWNER: Requester = { kind: 'owner', channel: 'cli' };

function probe(online: boolean): NetworkProbe {
  const state: NetworkState = online
    ? { online: true, defaultRoutes: ['eth0'], interfaces: ['eth0'], method: 'test probe' }
    : { online: false, defaultRoutes: [], interfaces: [], method: 'test probe' };
  return { probe: () => Promise.resolve(state) };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function desktop(opts: { online: boolean; key?: SoftKey; root?: string }): { backend: DesktopBackend; dir: string; root: string } {
  const root = opts.root ?? mkdtempSync(join(tmpdir(), 'mv-compose-'));
  const backend = new DesktopBackend({
    vaultDir: join(root, 'vault'),
    kdfCost: CHEAP_KDF,
    chooseExportPath: (name) => Promise.resolve(join(root, name)),
    boundary: { probe: probe(opts.online) },
    // The HID interface main uses, with the software authenticator behind it; no insert wait.
    ...(opts.key ? { hardwareKey: { transport: transportFor(opts.key), insertTimeoutMs: 0 } } : {}),
    // No window here to press Close after a failed touch: end the Retry/Close wait quickly.
    keyTouch: { retryWindowMs: 200 },
  });
  cleanups.push(async () => {
    await backend.lock();
    if (!opts.root) rmSync(root, { recursive: true, force: true });
  });
  return { backend, dir: join(root, 'vault'), root };
}

describe('the desktop backend gets the same composed session as the CLI', () => {
  it('an online machine: the desktop refuses a level-4 reveal with BOUNDARY_DENIED and the same reason as the CLI session', async () => {
    const { backend, dir } = desktop({ online: true });
    await backend.create(TEST_PASSPHRASE);
    const m = await backend.engine.store({ content: 'level-4 secret', level: 4, title: 'L4' }, DESKTOP_OWNER);
    const fromDesktop = await rejection(backend.reveal(m.id, TEST_PASSPHRASE));
    expect(fromDesktop.code).toBe('BOUNDARY_DENIED');
    await backend.lock();

    const cli = await composeOwnerSession({ ...cliSurface('cli'), boundary: { probe: probe(true) }, dir, credentials: passphrase });
    try {
      const fromCli = await rejection(cli.engine.recall({ memoryId: m.id, justification: 'test' }, CLI_OWNER));
      expect(fromCli.code).toBe('BOUNDARY_DENIED');
      // The same gate decided both: the local boundary check with the owner's policy, not "no provider".
      expect(fromDesktop.message).toBe(fromCli.message);
      expect(fromDesktop.message).toMatch(/local check: online .*level 4 needs an offline or air-gapped machine/);
    } finally {
      cli.close();
    }
  });

  it('a boundary that attests offline: the desktop reveals the level-4 memory (an audited owner recall)', async () => {
    const { backend } = desktop({ online: false });
    await backend.create(TEST_PASSPHRASE);
    const m = await backend.engine.store({ content: 'level-4 secret', level: 4, title: 'L4' }, DESKTOP_OWNER);
    const revealed = await backend.reveal(m.id, TEST_PASSPHRASE);
    expect(revealed.content).toBe('level-4 secret');
    const leaves = backend.engine.auditLog
      .list({ kind: 'memory.recall', limit: 100 })
      .map((r) => JSON.parse(r.json) as { outcome: string; actor: { id: string }; memory?: { id: string } });
    expect(leaves).toContainEqual(
      expect.objectContaining({
        outcome: 'ok',
        actor: expect.objectContaining({ id: 'desktop' }),
        memory: expect.objectContaining({ id: m.id }),
      }),
    );
  });

  it('the FIDO2 key is bound as the level-5 gate: store and reveal touch the key; without it plugged in → TOKEN_REQUIRED', async () => {
    const key = createSoftKey();
    const first = desktop({ online: false, key });
    await first.backend.create(TEST_PASSPHRASE);
    await first.backend.lock();
    // Register the key as the CLI does (`key register`), on a session from the same composition.
    const cli = await composeOwnerSession({
      ...cliSurface('cli'),
      hardwareKey: { transport: transportFor(key) },
      dir: first.dir,
      credentials: passphrase,
    });
    try {
      await registerHardwareKey(cli, { transport: transportFor(key), name: 'Desk key' });
    } finally {
      cli.close();
    }

    await first.backend.unlock(TEST_PASSPHRASE);
    const signCountBefore = key.authenticator.signCount;
    const m = await first.backend.engine.store({ content: 'level-5 secret', level: 5, title: 'L5' }, DESKTOP_OWNER);
    expect((await first.backend.reveal(m.id, TEST_PASSPHRASE)).content).toBe('level-5 secret');
    // Store and reveal each asked the key (its counter moved), so the secret needed the token.
    expect(key.authenticator.signCount).toBeGreaterThan(signCountBefore);

    key.device.plugged = false;
    expect((await rejection(first.backend.reveal(m.id, TEST_PASSPHRASE))).code).toBe('TOKEN_REQUIRED');
  });
});

// ---- source check: who may open a vault --------------------------------------------------

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string = SRC): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name))
      out.push({ path: relative(join(SRC, '..'), full), text: readFileSync(full, 'utf8') });
  }
  return out;
}

const importsOf = (text: string, module: RegExp): boolean =>
  [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g)].some((m) =>
    module.test(m[1] ?? m[2] ?? ''),
  );

/** Node-side callers that open a vault for their own work (not an owner surface). */
const NODE_OPENERS = new Set(['src/node/backup/backup-restore.ts', 'src/node/escrow/escrow.service.ts']);

/** Every way a file could open or hand-wire a session outside the composition. */
function violations(files: readonly { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    const inComposition = path.startsWith('src/node/composition/');
    if (/new VaultSession\s*\(/.test(text) && path !== 'src/node/vault/session-builder.ts')
      found.push(`${path}: constructs a VaultSession`);
    if (/\bbuildSession\s*\(/.test(text) && !['src/node/vault/session-builder.ts', 'src/node/vault/vault-opener.ts'].includes(path))
      found.push(`${path}: builds a session`);
    if (importsOf(text, /vault\/vault-opener(\.js)?$/) && !inComposition) found.push(`${path}: imports the opener`);
    if (
      importsOf(text, /composition\/vault-sessions(\.js)?$/) &&
      !inComposition &&
      !NODE_OPENERS.has(path) &&
      !path.startsWith('src/bench/')
    ) {
      found.push(`${path}: opens a vault without the owner-session composition`);
    }
    const surface = path.startsWith('src/cli/') || path.startsWith('src/main/');
    if (surface && /new VaultBoundaryGate\s*\(|\.bindHardwareKey\s*\(|\.setGates\(\s*\{[^}]*environment/.test(text))
      found.push(`${path}: wires a gate by hand`);
  }
  return found;
}

describe('only the composition opens vaults for the owner surfaces', () => {
  const files = sources();

  it('no file in src/ constructs a session, imports the opener, or wires the boundary/FIDO2 gates outside the composition', () => {
    expect(violations(files)).toEqual([]);
  });

  it('the CLI, serve and the desktop main process reach the vault through compose-owner-session', () => {
    const text = (p: string) => files.find((f) => f.path === p)?.text ?? '';
    expect(text('src/cli/io/vault-access.ts')).toMatch(/composeOwnerSession\(/);
    expect(text('src/cli/commands/serve.ts')).toMatch(/openOwnerSession\(/);
    expect(text('src/main/services/desktop-backend.service.ts')).toMatch(/composeOwnerSession\(/);
    expect(text('src/main/services/desktop-backend.service.ts')).toMatch(/composeNewOwnerVault\(/);
  });

  it('the check can fail: a hand-wired surface and a stray session are reported', () => {
    const probes = [
      { path: 'src/main/services/rogue.ts', text: "import { unlockVault } from '../../node/composition/vault-sessions.js';" },
      {
        path: 'src/cli/io/rogue.ts',
        text: "import { openVault } from '../../node/vault/vault-opener.js';\nconst g = new VaultBoundaryGate();",
      },
      { path: 'src/node/rogue.ts', text: 'const s = new VaultSession(parts);' },
    ];
    expect(violations(probes)).toEqual([
      'src/main/services/rogue.ts: opens a vault without the owner-session composition',
      'src/cli/io/rogue.ts: imports the opener',
      'src/cli/io/rogue.ts: wires a gate by hand',
      'src/node/rogue.ts: constructs a VaultSession',
    ]);
  });
});
