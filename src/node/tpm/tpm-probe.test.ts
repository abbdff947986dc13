import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwtpm, swtpmAvailability, type SwtpmInstance } from '../../../tests/support/swtpm/swtpm-harness.js';
import { parseFixedProperties, parsePcrBanks, parseToolsVersion, probeTpm } from './tpm-probe.js';

const availability = await swtpmAvailability();
if (!availability.available) console.warn(`[tpm-probe.test] skipping swtpm tests: ${availability.reason ?? 'unknown'}`);
const itTpm = it.skipIf(!availability.available);

describe('probeTpm parsers', () => {
  it('parses version, fixed properties and PCR banks', () => {
    expect(parseToolsVersion('tool="tpm2_getcap" version="5.4" tctis="libtss2-tctildr" tcti-default=tcti-device')).toBe('5.4');
    const fixed =
      'TPM2_PT_REVISION:\n  raw: 0xA4\n  value: 1.64\nTPM2_PT_MANUFACTURER:\n  raw: 0x49424D00\n  value: "IBM"\n' +
      'TPM2_PT_VENDOR_STRING_1:\n  raw: 0x53572020\n  value: "SW"\nTPM2_PT_VENDOR_STRING_2:\n  raw: 0x2054504D\n  value: "TPM"\n' +
      'TPM2_PT_FIRMWARE_VERSION_1:\n  raw: 0x20191023\nTPM2_PT_FIRMWARE_VERSION_2:\n  raw: 0x163636\n';
    expect(parseFixedProperties(fixed)).toEqual({
      manufacturer: 'IBM',
      vendor: 'SW TPM',
      specRevision: '1.64',
      firmwareVersion: '0x20191023.0x163636',
    });
    expect(parsePcrBanks('selected-pcrs:\n  - sha1: [ ]\n  - sha256: [ 0, 1, 23 ]\n')).toEqual([
      { bank: 'sha1', pcrs: [] },
      { bank: 'sha256', pcrs: [0, 1, 23] },
    ]);
  });
});

describe('probeTpm against swtpm', () => {
  let tpm: SwtpmInstance | undefined;
  beforeAll(async () => {
    if (availability.available) tpm = await startSwtpm();
  });
  afterAll(async () => {
    await tpm?.stop();
  });

  itTpm('reports the swtpm: present, tools version, manufacturer, PCR banks, DA state', async () => {
    const r = await probeTpm(tpm?.tcti);
    if (!r.present) throw new Error(`expected a TPM, got: ${r.message}`);
    expect(r.toolsVersion).toMatch(/^\d+\.\d+/);
    expect(r.manufacturer).toBe('IBM');
    expect(r.vendor).toBe('SW TPM');
    expect(r.pcrBanks.find((b) => b.bank === 'sha256')?.pcrs).toHaveLength(24);
    expect(r.dictionaryAttack).toMatchObject({ inLockout: false, maxAuthFail: 3 });
  });

  itTpm('reports an unreachable TPM as absent without throwing', async () => {
    const r = await probeTpm('swtpm:host=127.0.0.1,port=1');
    expect(r).toMatchObject({ present: false, reason: 'no-tpm' });
    if (!r.present) expect(r.toolsVersion).toMatch(/^\d+\.\d+/);
  });
});
