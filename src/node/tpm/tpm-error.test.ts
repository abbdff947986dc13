import { describe, expect, it } from 'vitest';
import { baseRc, classifyToolFailure, parseEsysRc } from './tpm-error.js';

const esys = (call: string, rc: string, text: string): string =>
  `WARNING:esys:src/tss2-esys/api/${call}.c:295:${call}_Finish() Received TPM Error\n` +
  `ERROR:esys:src/tss2-esys/api/${call}.c:98:${call}() Esys Finish ErrorCode (0x00000${rc.slice(2)})\n` +
  `ERROR: ${call}(${rc}) - ${text}\nERROR: Unable to run tool\n`;

describe('parseEsysRc / baseRc', () => {
  it('extracts the call and response code', () => {
    expect(parseEsysRc(esys('Esys_Unseal', '0x99D', 'tpm:session(1):a policy check failed'))).toEqual({ call: 'Esys_Unseal', rc: 0x99d });
    expect(parseEsysRc('nothing here')).toBeUndefined();
    // tpm2-tools 5.4 prints "Eys_Load" for tpm2_load failures
    expect(parseEsysRc('ERROR: Eys_Load(0x1DF) - tpm:parameter(1):integrity check failed')).toEqual({ call: 'Esys_Load', rc: 0x1df });
    expect(parseEsysRc('ERROR:esys:src/tss2-esys/api/Esys_Load.c:112:Esys_Load() Esys Finish ErrorCode (0x000001df)')).toEqual({
      call: 'Esys_Load',
      rc: 0x1df,
    });
  });
  it('strips the session/parameter number of format-1 codes only', () => {
    expect(baseRc(0x99d)).toBe(0x09d);
    expect(baseRc(0x98e)).toBe(0x08e);
    expect(baseRc(0x1df)).toBe(0x09f);
    expect(baseRc(0x921)).toBe(0x921);
  });
});

describe('classifyToolFailure', () => {
  const tool = 'tpm2_unseal';
  it('maps a missing binary and a dead TCTI to TPM_UNAVAILABLE', () => {
    expect(classifyToolFailure({ tool, stderr: '', spawnErrorCode: 'ENOENT' }).code).toBe('TPM_UNAVAILABLE');
    const tcti =
      'ERROR:tcti:src/tss2-tcti/tcti-swtpm.c:614:Tss2_Tcti_Swtpm_Init() Cannot connect to swtpm TPM socket\n' +
      'ERROR: Could not load tcti, got: "swtpm:host=127.0.0.1,port=2321"';
    const e = classifyToolFailure({ tool, stderr: tcti, exitCode: 1 });
    expect(e.code).toBe('TPM_UNAVAILABLE');
    expect(e.details['reason']).toBe('no-tpm');
    expect(classifyToolFailure({ tool, stderr: '', timedOut: true }).code).toBe('TPM_UNAVAILABLE');
    expect(classifyToolFailure({ tool, stderr: esys('Esys_Load', '0x100', 'tpm:error(2.0): TPM not initialized'), exitCode: 1 }).code).toBe(
      'TPM_UNAVAILABLE',
    );
    expect(classifyToolFailure({ tool, stderr: 'ERROR: Esys_Load(0xA000A) - tcti:IO failure', exitCode: 1 }).code).toBe('TPM_UNAVAILABLE');
  });
  it('maps 0x99D to TPM_POLICY_MISMATCH with a recovery hint', () => {
    const e = classifyToolFailure({ tool, stderr: esys('Esys_Unseal', '0x99D', 'tpm:session(1):a policy check failed'), exitCode: 1 });
    expect(e.code).toBe('TPM_POLICY_MISMATCH');
    expect(e.message).toMatch(/recovery passphrase/);
    expect(e.details).toMatchObject({ esysCall: 'Esys_Unseal', rc: '0x99D' });
  });
  it('maps an integrity failure on load to TPM_POLICY_MISMATCH (blob from another TPM)', () => {
    const e = classifyToolFailure({
      tool: 'tpm2_load',
      stderr: esys('Esys_Load', '0x1DF', 'tpm:parameter(1):integrity check failed'),
      exitCode: 1,
    });
    expect(e.code).toBe('TPM_POLICY_MISMATCH');
    expect(e.details['reason']).toBe('blob-not-loadable');
  });
  it('maps 0x98E and 0x9A2 to TPM_AUTH_FAILED and 0x921 to TPM_LOCKOUT', () => {
    expect(
      classifyToolFailure({ tool, stderr: esys('Esys_Unseal', '0x98E', 'tpm:session(1):the authorization HMAC check failed'), exitCode: 3 })
        .code,
    ).toBe('TPM_AUTH_FAILED');
    expect(classifyToolFailure({ tool, stderr: esys('Esys_Unseal', '0x9A2', 'tpm:session(1):bad auth'), exitCode: 3 }).code).toBe(
      'TPM_AUTH_FAILED',
    );
    const owner = classifyToolFailure({ tool: 'tpm2_createprimary', stderr: esys('Esys_CreatePrimary', '0x9A2', 'bad auth'), exitCode: 3 });
    expect(owner.details['reason']).toBe('owner-auth');
    expect(classifyToolFailure({ tool, stderr: esys('Esys_Unseal', '0x921', 'tpm:warn(2.0): DA lockout'), exitCode: 1 }).code).toBe(
      'TPM_LOCKOUT',
    );
  });
  it('maps everything else to INTERNAL and never echoes tool output', () => {
    const stderr = 'ERROR: Incorrect handle value, got: "hex:31323334", expected a handle number';
    const e = classifyToolFailure({ tool, stderr, exitCode: 1 });
    expect(e.code).toBe('INTERNAL');
    expect(JSON.stringify(e.toJSON())).not.toContain('31323334');
    expect(classifyToolFailure({ tool, stderr: esys('Esys_Load', '0x902', 'out of memory for object contexts'), exitCode: 1 }).code).toBe(
      'INTERNAL',
    );
  });
});
