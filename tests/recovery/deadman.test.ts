// Dead-man switch with a fake clock: armed with a token touch, kept armed by check-ins, released
// exactly once after a missed deadline + grace period, disarmed only with the arming token; the
// heir's package decrypts with the Debian `age` CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as age from 'age-encryption';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { heirPackageSchema } from '../../src/core/deadman/deadman-state.js';
import type { Clock } from '../../src/core/ports/clock.port.js';
import { armDeadman, checkInDeadman, deadmanStatus, disarmDeadman, releaseIfDue } from '../../src/node/deadman/deadman.service.js';
import { openHeirPackage } from '../../src/node/deadman/heir-package.js';
import { recoverVault } from '../../src/node/escrow/escrow.service.js';
import { fakeHardwareKey } from '../support/fake-hardware-key.js';
import { approvingGate, CHEAP_KDF, newVault, passphrase, reopen } from '../support/vault-fixture.js';
import { auditEvents } from '../hardware/support.js';
import { OWNER } from './support/rotation-vault.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let root: string;
let cleanup: (() => void) | undefined;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mv-deadman-'));
});
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  rmSync(root, { recursive: true, force: true });
});

function fakeClock(start = Date.UTC(2030, 0, 1)): Clock & { t: number; advance(ms: number): void } {
  const c = { t: start, now: () => c.t, advance: (ms: number) => (c.t += ms) };
  return c;
}

async function heirs(n: number): Promise<{ identities: string[]; heirs: { name: string; recipient: string }[] }> {
  const identities = await Promise.all(Array.from({ length: n }, () => age.generateX25519Identity()));
  const recipients = await Promise.all(identities.map((i) => age.identityToRecipient(i)));
  return { identities, heirs: recipients.map((recipient, i) => ({ name: `heir${i}`, recipient })) };
}

async function armedVault() {
  const clock = fakeClock();
  const hw = fakeHardwareKey();
  const v = await newVault({ clock, gates: { hardwareKey: hw, approvals: approvingGate() } });
  cleanup = v.remove;
  const m1 = await v.session.engine.store({ content: 'the safe code is 4-8-15-16', level: 2, title: 'safe' }, OWNER);
  const m2 = await v.session.engine.store({ content: 'sealed letter to the family', level: 3, title: 'letter' }, OWNER);
  const h = await heirs(2);
  const releaseDir = join(root, 'release');
  const touches = hw.touches;
  const status = await armDeadman(v.session, {
    intervalMs: 7 * DAY,
    graceMs: DAY,
    releaseDir,
    heirs: h.heirs,
    memoryIds: [m1.id, m2.id],
    includeRecoveryKey: true,
    credentials: passphrase,
  });
  expect(hw.touches).toBe(touches + 1);
  return { v, clock, hw, h, releaseDir, status, m1, m2 };
}

describe('dead-man switch', () => {
  it('arming needs a registered token: no port → HARDWARE_REQUIRED, nothing stored', async () => {
    const v = await newVault();
    cleanup = v.remove;
    const h = await heirs(1);
    await expect(
      armDeadman(v.session, {
        intervalMs: DAY,
        graceMs: 0,
        releaseDir: join(root, 'r'),
        heirs: h.heirs,
        memoryIds: [],
        includeRecoveryKey: true,
        credentials: passphrase,
      }),
    ).rejects.toMatchObject({ code: 'HARDWARE_REQUIRED' });
    expect(deadmanStatus(v.session).armed).toBe(false);
    v.session.close();
  });

  it('check-ins keep it armed; status warns well before the deadline, then in the grace period', async () => {
    const { v, clock } = await armedVault();
    expect(deadmanStatus(v.session)).toMatchObject({ armed: true, phase: 'armed', warnings: [] });
    for (let week = 0; week < 4; week++) {
      clock.advance(6 * DAY);
      expect((await releaseIfDue(v.session)).released).toBe(false);
      const st = deadmanStatus(v.session);
      expect(st.phase).toBe('warning');
      expect(st.warnings[0]).toMatch(/check in within/);
      await checkInDeadman(v.session);
      expect(deadmanStatus(v.session).phase).toBe('armed');
    }
    clock.advance(7 * DAY + HOUR);
    expect(deadmanStatus(v.session).phase).toBe('grace');
    expect((await releaseIfDue(v.session)).released).toBe(false);
    await checkInDeadman(v.session);
    expect(auditEvents(v.session, 'deadman.checkin')).toHaveLength(5);
    expect(auditEvents(v.session, 'deadman.release')).toHaveLength(0);
    v.session.close();
  });

  it('a missed deadline releases the packages exactly once (timer, repeated checks, every unlock)', async () => {
    const { v, clock, h, releaseDir } = await armedVault();
    clock.advance(8 * DAY + 1);
    const first = await releaseIfDue(v.session);
    expect(first.released).toBe(true);
    expect(first.files).toHaveLength(2);
    const bytes = first.files.map((f) => readFileSync(f, 'utf8'));
    expect((await releaseIfDue(v.session)).released).toBe(false);
    v.session.close();
    // Unlocking again (the unlock-time check) does not release a second time.
    clock.advance(DAY);
    const s = await reopen(v.dir, { clock });
    try {
      expect(auditEvents(s, 'deadman.release').filter((e) => e.outcome === 'ok')).toHaveLength(1);
      expect(deadmanStatus(s)).toMatchObject({ armed: false, phase: 'released' });
      await expect(checkInDeadman(s)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      s.close();
    }
    expect(readdirSync(releaseDir).sort()).toEqual(first.files.map((f) => f.slice(releaseDir.length + 1)).sort());
    expect(first.files.map((f) => readFileSync(f, 'utf8'))).toEqual(bytes);
    const pkg = await openHeirPackage(bytes[1] ?? '', h.identities[1] ?? '');
    expect(pkg.heir).toBe('heir1');
    expect(pkg.memories.map((m) => m.contentUtf8).sort()).toEqual(['sealed letter to the family', 'the safe code is 4-8-15-16']);
    await expect(openHeirPackage(bytes[1] ?? '', h.identities[0] ?? '')).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
  });

  it('a release that is due when the vault is unlocked happens at unlock', async () => {
    const { v, clock, releaseDir } = await armedVault();
    v.session.close();
    clock.advance(9 * DAY);
    const warnings: string[] = [];
    const s = await reopen(v.dir, { clock, onWarning: (w) => warnings.push(w) });
    try {
      expect(existsSync(releaseDir)).toBe(true);
      expect(readdirSync(releaseDir)).toHaveLength(2);
      expect(warnings.join('\n')).toMatch(/released/);
      expect(auditEvents(s, 'deadman.release')).toHaveLength(1);
    } finally {
      s.close();
    }
  });

  it('disarm needs the token that armed it', async () => {
    const { v, hw, clock } = await armedVault();
    const other = fakeHardwareKey();
    await expect(disarmDeadman(v.session, other)).rejects.toMatchObject({ code: 'TOKEN_MISMATCH' });
    hw.present = false;
    await expect(disarmDeadman(v.session)).rejects.toMatchObject({ code: 'TOKEN_REQUIRED' });
    expect(deadmanStatus(v.session).armed).toBe(true);
    hw.present = true;
    await disarmDeadman(v.session);
    expect(deadmanStatus(v.session).armed).toBe(false);
    // Its recovery slot is gone with it, and nothing is released any more.
    expect(v.session.profile.recovery ?? []).toHaveLength(0);
    clock.advance(30 * DAY);
    expect((await releaseIfDue(v.session)).released).toBe(false);
    expect(auditEvents(v.session, 'deadman.disarm').map((e) => e.outcome)).toEqual(['refused', 'refused', 'ok']);
    v.session.close();
  });

  it('interop: the heir decrypts the package with the Debian `age` CLI and recovers the vault with its recovery key', async () => {
    if (spawnSync('age', ['--version']).status !== 0) {
      process.stdout.write('[deadman] skipping the age CLI interop test: `age` is not installed\n');
      return;
    }
    const { v, clock, h } = await armedVault();
    clock.advance(8 * DAY + 1);
    const { files } = await releaseIfDue(v.session);
    v.session.close();
    const idFile = join(root, 'heir0.txt');
    writeFileSync(idFile, `${h.identities[0] ?? ''}\n`, { mode: 0o600 });
    const plain = execFileSync('age', ['-d', '-i', idFile, files[0] ?? ''], { encoding: 'utf8' });
    const pkg = heirPackageSchema.parse(JSON.parse(plain));
    expect(pkg.heir).toBe('heir0');
    expect(pkg.memories.find((m) => m.title === 'safe')?.contentUtf8).toBe('the safe code is 4-8-15-16');
    if (!pkg.recovery) throw new Error('no recovery key in the package');
    const s = await recoverVault({
      dir: v.dir,
      slotId: pkg.recovery.slotId,
      recoveryKey: Buffer.from(pkg.recovery.recoveryKeyBase64, 'base64'),
      newCredentials: { kind: 'passphrase', passphrase: 'the heir passphrase' },
      kdfCost: CHEAP_KDF,
      clock,
    });
    try {
      expect(s.engine.status().memories[2]).toBe(1);
    } finally {
      s.close();
    }
  });
});
