// The compiled CLI's hardware commands (needs `npm run build:node`): doctor with no TPM and with a
// swtpm (TPM2TOOLS_TCTI), `key` commands on a vault without keys, `init --tpm` end to end.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeHidTransport } from '../../src/node/fido2/node-hid-device.js';
import { CANARY, createSandbox, expectError, expectHumanError, expectOk, initVault, type Sandbox } from '../cli/cli-harness.js';
import { startSwtpm, swtpmAvailability, type SwtpmInstance } from '../support/swtpm/swtpm-harness.js';

const availability = await swtpmAvailability();
if (!availability.available) console.warn(`[tests/hardware/cli-hardware] skipping swtpm parts: ${availability.reason ?? 'unknown'}`);
const itTpm = it.skipIf(!availability.available);

const NO_TPM = { TPM2TOOLS_TCTI: 'swtpm:host=127.0.0.1,port=1' };

interface DoctorJson {
  tpm: { present: boolean; tcti: string; reason?: string; toolsVersion?: string; pcrBanks?: { bank: string; pcrs: number[] }[] };
  fido2: { available: boolean; message: string | null; devices: unknown[] };
  vault: {
    dir: { path: string; exists: boolean; mode: string | null; ok: boolean };
    header: { exists: boolean };
    keySource: string | null;
    problems: string[];
  };
}

let tpm: SwtpmInstance | undefined;
let sb: Sandbox;
beforeAll(async () => {
  if (availability.available) tpm = await startSwtpm();
});
afterAll(async () => {
  await tpm?.stop();
});
beforeEach(() => {
  sb = createSandbox();
});
afterEach(() => sb.cleanup());

describe('memory-vault doctor', () => {
  it('with no TPM reachable and no vault yet: says so, exits 0, one JSON document', async () => {
    const r = expectOk(await sb.vcli(['doctor'], { env: NO_TPM })) as DoctorJson;
    expect(r.tpm).toMatchObject({ present: false, reason: 'no-tpm', tcti: NO_TPM.TPM2TOOLS_TCTI });
    expect(Array.isArray(r.fido2.devices)).toBe(true);
    expect(r.vault.dir).toMatchObject({ path: sb.vault, exists: false });
    expect(r.vault.problems.join(' ')).toMatch(/No vault directory/);

    const human = await sb.cli(['--vault', sb.vault, 'doctor'], { env: NO_TPM });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^TPM: not available via swtpm:host=127\.0\.0\.1,port=1/m);
    expect(human.stdout).toMatch(/^FIDO2: /m);
  });

  it('on an existing vault: reports the key source and owner-only permissions, flags a widened directory', async () => {
    await initVault(sb);
    const r = expectOk(await sb.vcli(['doctor'], { env: NO_TPM })) as DoctorJson;
    expect(r.vault).toMatchObject({
      keySource: 'passphrase',
      dir: { exists: true, mode: '0700', ok: true },
      header: { exists: true },
      problems: [],
    });
    const { chmodSync } = await import('node:fs');
    chmodSync(sb.vault, 0o755);
    const widened = expectOk(await sb.vcli(['doctor'], { env: NO_TPM })) as DoctorJson;
    expect(widened.vault.dir).toMatchObject({ mode: '0755', ok: false });
    expect(widened.vault.problems.join(' ')).toMatch(/should be owner-only/);
    chmodSync(sb.vault, 0o700);
  });

  itTpm('with a swtpm via TPM2TOOLS_TCTI: TPM present, tools version and PCR banks', async () => {
    const r = expectOk(await sb.vcli(['doctor'], { env: { TPM2TOOLS_TCTI: tpm!.tcti } })) as DoctorJson;
    expect(r.tpm.present).toBe(true);
    expect(r.tpm.tcti).toBe(tpm!.tcti);
    expect(r.tpm.toolsVersion).toMatch(/^\d+\.\d+/);
    const sha256 = r.tpm.pcrBanks?.find((b) => b.bank === 'sha256');
    expect(sha256?.pcrs).toHaveLength(24);
  });
});

describe('memory-vault key …', () => {
  it('key list on a vault without keys: an empty list (JSON) and a hint (human)', async () => {
    await initVault(sb);
    expect(expectOk(await sb.vcli(['key', 'list']))).toEqual([]);
    expect(expectOk(await sb.vcli(['key', 'list', '--all']))).toEqual([]);
    const human = await sb.cli(['--vault', sb.vault, 'key', 'list']);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/No security keys registered/);
  });

  it('rename / revoke an unknown key → NOT_FOUND; bad input → INVALID_INPUT; add with no key plugged in → TOKEN_REQUIRED', async () => {
    await initVault(sb);
    expectError(await sb.vcli(['key', 'rename', 'abcdefgh', 'New name']), 'NOT_FOUND');
    expectError(await sb.vcli(['key', 'revoke', 'abcdefgh']), 'NOT_FOUND');
    expectError(await sb.vcli(['key', 'rename', 'ab', 'x']), 'INVALID_INPUT');
    expectError(await sb.vcli(['key', 'add', '--name', '   ']), 'INVALID_INPUT');
    let plugged = -1;
    try {
      plugged = (await new NodeHidTransport().list()).length;
    } catch {
      plugged = -1; // no usable HID here: the CLI must say so as a FIDO2_ERROR
    }
    if (plugged === 0) expectError(await sb.vcli(['key', 'add', '--name', 'Blue key']), 'TOKEN_REQUIRED');
    else if (plugged < 0) expectError(await sb.vcli(['key', 'add', '--name', 'Blue key']), 'FIDO2_ERROR');
    else console.log(`[cli-hardware] ${plugged} real FIDO device(s) plugged in: not running \`key add\` against them`);
    expectHumanError(await sb.cli(['--vault', sb.vault, 'key', 'revoke', 'abcdefgh']), 'NOT_FOUND');
  }, 180_000);

  it('level 5 store still needs a registered key → HARDWARE_REQUIRED', async () => {
    await initVault(sb);
    expectError(await sb.vcli(['store', '-l', '5', '-t', 'black'], { input: `${CANARY} black` }), 'HARDWARE_REQUIRED');
  });
});

describe('memory-vault init --tpm', () => {
  itTpm(
    'creates a TPM-bound vault with a PIN; unlock reads MEMORY_VAULT_TPM_PIN_FILE; level 4 is stored without a warning',
    async () => {
      const env = { TPM2TOOLS_TCTI: tpm!.tcti };
      const pinFile = join(sb.root, 'tpm-pin.txt');
      writeFileSync(pinFile, '2468\n', { mode: 0o600 });
      expectError(await sb.vcli(['init', '--tpm-pcrs', 'sha256:0,7'], { env }), 'INVALID_INPUT');
      expectError(await sb.vcli(['init', '--tpm', '--tpm-pcrs', 'sha256:99'], { env }), 'INVALID_INPUT');
      const created = expectOk(await sb.vcli(['init', '--tpm', '--tpm-pin-file', pinFile, '--tpm-pcrs', 'sha256:0,7'], { env })) as {
        keySource: string;
      };
      expect(created.keySource).toBe('tpm2');

      const withPin = { ...env, MEMORY_VAULT_TPM_PIN_FILE: pinFile };
      expect(expectOk(await sb.vcli(['key', 'list'], { env: withPin }))).toEqual([]);
      const noPin = expectError(await sb.vcli(['status'], { env }), 'TPM_AUTH_FAILED');
      expect(noPin.details).toMatchObject({ reason: 'pin-required' });

      const r = await sb.vcli(['store', '--level', '4', '--title', 'vaulted'], { env: withPin, input: `${CANARY} level 4` });
      expect(expectOk(r)).toMatchObject({ level: 4, title: 'vaulted' });
      expect(r.stderr).not.toMatch(/warning/);
    },
    180_000,
  );

  it('on a passphrase vault where no TPM exists, level 4 is stored with a plain warning on stderr', async () => {
    await initVault(sb);
    const r = await sb.vcli(['store', '--level', '4', '--title', 'vaulted'], { env: NO_TPM, input: `${CANARY} level 4` });
    expectOk(r);
    expect(r.stderr).toMatch(/^warning: This machine has no TPM/m);
  });
});
