// Every key source through the desktop handlers: a keyfile vault (the keyfile chosen in main by
// the injected chooser, never sent by the window) and a TPM vault with a PIN (swtpm). The unlock
// screen learns the key source from status while locked; lifting lockdown and the level-3 reveal
// take the vault's own credential, and another kind is refused.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allHandlers } from '../../src/main/ipc/all.handlers.js';
import { APP_ORIGIN, createSenderPolicy } from '../../src/main/ipc/sender-policy.js';
import type { KeyfilePurpose } from '../../src/main/services/desktop-credentials.js';
import { DesktopBackend } from '../../src/main/services/desktop-backend.service.js';
import { contracts } from '../../src/shared/contracts.js';
import { startSwtpm, swtpmAvailability, type SwtpmInstance } from '../support/swtpm/swtpm-harness.js';
import { CHEAP_KDF } from '../support/vault-fixture.js';
import { appSender } from './ipc-fixture.js';

const availability = await swtpmAvailability();
if (!availability.available) console.warn(`[tests/ipc/desktop-key-sources] skipping the TPM case: ${availability.reason ?? 'unknown'}`);

interface Rig {
  readonly backend: DesktopBackend;
  readonly root: string;
  /** What the chooser answers next (a path, or null = the owner cancelled). */
  pick: string | null;
  readonly asked: KeyfilePurpose[];
  call(channel: string, args: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
}

function rig(tcti?: string): Rig {
  const root = mkdtempSync(join(tmpdir(), 'mv-keysrc-'));
  const r: Rig = {
    root,
    pick: null,
    asked: [],
    backend: new DesktopBackend({
      vaultDir: join(root, 'vault'),
      kdfCost: CHEAP_KDF,
      ...(tcti ? { session: { tpm: { tcti } } } : {}),
      chooseExportPath: () => Promise.resolve(null),
      chooseKeyfile: (purpose) => {
        r.asked.push(purpose);
        return Promise.resolve(r.pick);
      },
    }),
    call: async (channel, args) => {
      const h = handlers.get(channel);
      if (!h) throw new Error(`no handler for ${channel}`);
      return h(appSender, args);
    },
  };
  const policy = createSenderPolicy({ origins: [APP_ORIGIN], bundleDir: null });
  const handlers = new Map(allHandlers(policy, r.backend).map((h) => [h.channel, h.listener]));
  return r;
}

let r: Rig;
afterEach(async () => {
  await r.backend.lock();
  rmSync(r.root, { recursive: true, force: true });
});

const owner = { kind: 'owner', channel: 'desktop' } as const;

describe('a keyfile vault in the desktop', () => {
  it('is created with a chosen keyfile, unlocks with it, and lifts lockdown and reveals with it again', async () => {
    r = rig();
    const keyfile = join(r.root, 'vault.key');
    writeFileSync(keyfile, randomBytes(64), { mode: 0o600 });
    const other = join(r.root, 'other.key');
    writeFileSync(other, randomBytes(64), { mode: 0o600 });

    // Cancelling the chooser creates nothing.
    expect(await r.call(contracts.vault.create.channel, { credential: { kind: 'keyfile' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    expect(await r.call(contracts.vault.status.channel, {})).toMatchObject({ ok: true, value: { state: 'absent', keySource: null } });

    r.pick = keyfile;
    expect(await r.call(contracts.vault.create.channel, { credential: { kind: 'keyfile' } })).toMatchObject({
      ok: true,
      value: { state: 'unlocked', keySource: { kind: 'keyfile' } },
    });
    const m = await r.backend.engine.store({ content: 'keyfile-guarded text', level: 3, title: 'Sealed' }, owner);
    await r.backend.lock();

    // Locked: status names the key source, so the unlock screen shows the keyfile form.
    expect(await r.call(contracts.vault.status.channel, {})).toMatchObject({ value: { state: 'locked', keySource: { kind: 'keyfile' } } });
    expect(await r.call(contracts.vault.unlock.channel, { credential: { kind: 'passphrase', passphrase: 'not this kind' } })).toMatchObject(
      { ok: false, error: { code: 'BAD_CREDENTIALS' } },
    );
    r.pick = other;
    expect(await r.call(contracts.vault.unlock.channel, { credential: { kind: 'keyfile' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    r.pick = keyfile;
    expect(await r.call(contracts.vault.unlock.channel, { credential: { kind: 'keyfile' } })).toMatchObject({
      ok: true,
      value: { state: 'unlocked' },
    });

    await r.backend.engageLockdown('test');
    r.pick = other;
    expect(await r.call(contracts.lockdown.lift.channel, { credential: { kind: 'keyfile' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    r.pick = keyfile;
    expect(await r.call(contracts.lockdown.lift.channel, { credential: { kind: 'keyfile' } })).toMatchObject({
      ok: true,
      value: { on: false },
    });

    expect(await r.call(contracts.memories.reveal.channel, { memoryId: m.id })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    expect(await r.call(contracts.memories.reveal.channel, { memoryId: m.id, credential: { kind: 'keyfile' } })).toMatchObject({
      ok: true,
      value: { content: 'keyfile-guarded text' },
    });
    expect(r.asked).toEqual(['create', 'create', 'unlock', 'unlock', 'lift-lockdown', 'lift-lockdown', 'reveal']);
  });

  it('refuses a file too short or too large to be a keyfile, without naming its path', async () => {
    r = rig();
    const short = join(r.root, 'short.key');
    writeFileSync(short, randomBytes(16));
    r.pick = short;
    const tooShort = await r.call(contracts.vault.create.channel, { credential: { kind: 'keyfile' } });
    expect(tooShort).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    const big = join(r.root, 'big.bin');
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 1));
    r.pick = big;
    const tooBig = await r.call(contracts.vault.create.channel, { credential: { kind: 'keyfile' } });
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    r.pick = join(r.root, 'missing.key');
    const missing = await r.call(contracts.vault.create.channel, { credential: { kind: 'keyfile' } });
    expect(JSON.stringify(missing)).not.toContain(r.root);
    expect(missing).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
  });
});

describe.skipIf(!availability.available)('a TPM vault with a PIN in the desktop (swtpm)', () => {
  let tpm: SwtpmInstance;
  beforeAll(async () => {
    tpm = await startSwtpm();
  });
  afterAll(async () => {
    await tpm?.stop();
  });

  it('is created with a PIN; status says a PIN is needed; a wrong PIN is refused; lifting lockdown takes the PIN', async () => {
    r = rig(tpm.tcti);
    expect(await r.call(contracts.vault.create.channel, { credential: { kind: 'tpm2', pin: '2468' } })).toMatchObject({
      ok: true,
      value: { keySource: { kind: 'tpm2', pinRequired: true } },
    });
    await r.backend.lock();
    expect(await r.call(contracts.vault.status.channel, {})).toMatchObject({
      value: { state: 'locked', keySource: { kind: 'tpm2', pinRequired: true } },
    });
    expect(await r.call(contracts.vault.unlock.channel, { credential: { kind: 'tpm2', pin: '1357' } })).toMatchObject({
      ok: false,
      error: { code: 'TPM_AUTH_FAILED' },
    });
    expect(await r.call(contracts.vault.unlock.channel, { credential: { kind: 'tpm2', pin: '2468' } })).toMatchObject({
      ok: true,
      value: { state: 'unlocked' },
    });
    await r.backend.engageLockdown('test');
    expect(await r.call(contracts.lockdown.lift.channel, { credential: { kind: 'tpm2', pin: '2468' } })).toMatchObject({
      ok: true,
      value: { on: false },
    });
    // A wrong PIN counts against the TPM's dictionary-attack limit (3 on swtpm): clear it for the next test.
    await tpm.tool('tpm2_dictionarylockout', ['-c']);
  }, 60_000);
});
