// Invariant: every tool that loads an object into the TPM is followed by `tpm2_flushcontext -t`,
// and every session we start is flushed, in `finally` — also when the tool failed. swtpm has
// only 3 transient slots and the direct TCTI has no resource manager to clean up after us.
// Secrets go in through stdin and come out through stdout; none is written to a work file.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolRunner } from './tpm2-tools.runner.js';

/** Work-file names, relative to the operation's private work dir. */
export const FILES = {
  primary: 'primary.ctx',
  pcrValues: 'pcr.bin',
  policy: 'policy.digest',
  trial: 'trial.session',
  session: 'policy.session',
  pub: 'seal.pub',
  priv: 'seal.priv',
  sealed: 'seal.ctx',
} as const;

async function flushTransients(runner: ToolRunner, cwd: string): Promise<void> {
  await runner.tryRun('tpm2_flushcontext', ['-t'], { cwd });
}

async function flushSession(runner: ToolRunner, cwd: string, file: string): Promise<void> {
  // The TPM drops a policy session itself after a failed authorization; then this flush fails,
  // which is fine.
  if (existsSync(join(cwd, file))) await runner.tryRun('tpm2_flushcontext', [file], { cwd });
}

/** Runs an object-loading tool and always flushes transient objects afterwards. */
async function withFlush<T>(runner: ToolRunner, cwd: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await flushTransients(runner, cwd);
  }
}

/**
 * Storage primary template: the tools' default ECC P-256 storage key plus `noda`, like the TCG
 * SRK template. Its auth is empty, so dictionary-attack protection adds nothing, and without
 * `noda` a PIN lockout would also block every load and seal under it (measured on swtpm).
 */
const PRIMARY_ATTRIBUTES = 'restricted|decrypt|fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda';

/**
 * Deterministic storage primary (owner hierarchy, fixed template, no unique data): the same key
 * comes back every time, so no NV/persistent slot is consumed.
 */
export async function createPrimary(runner: ToolRunner, cwd: string): Promise<void> {
  const args = ['-Q', '-C', 'o', '-g', 'sha256', '-G', 'ecc256', '-a', PRIMARY_ATTRIBUTES, '-c', FILES.primary];
  await withFlush(runner, cwd, () => runner.run('tpm2_createprimary', args, { cwd }));
}

/**
 * Reads the current PCR values and writes the policy digest (PCR, or PCR + password) through an
 * explicit trial session that we flush ourselves. (`tpm2_createpolicy` 5.4 leaks its trial
 * session: measured, three calls exhaust swtpm's session slots with 0x903.)
 */
export async function buildSealPolicy(runner: ToolRunner, cwd: string, pcrs: string, withPin: boolean): Promise<void> {
  await runner.run('tpm2_pcrread', ['-Q', '-o', FILES.pcrValues, pcrs], { cwd });
  try {
    await runner.run('tpm2_startauthsession', ['-S', FILES.trial], { cwd });
    const pcrArgs = ['-Q', '-S', FILES.trial, '-l', pcrs, '-f', FILES.pcrValues];
    if (!withPin) {
      await runner.run('tpm2_policypcr', [...pcrArgs, '-L', FILES.policy], { cwd });
      return;
    }
    await runner.run('tpm2_policypcr', pcrArgs, { cwd });
    await runner.run('tpm2_policypassword', ['-Q', '-S', FILES.trial, '-L', FILES.policy], { cwd });
  } finally {
    await flushSession(runner, cwd, FILES.trial);
  }
}

/** Creates the sealed data object; the secret is fed on stdin (`-i -`). */
export async function createSealedObject(runner: ToolRunner, cwd: string, secret: Uint8Array, pinArg: string | undefined): Promise<void> {
  const args = ['-Q', '-C', FILES.primary, '-g', 'sha256', '-u', FILES.pub, '-r', FILES.priv, '-L', FILES.policy];
  // fixedtpm|fixedparent and no userwithauth: only the policy can authorize an unseal.
  args.push('-a', 'fixedtpm|fixedparent', '-i', '-');
  if (pinArg !== undefined) args.push('-p', pinArg);
  await withFlush(runner, cwd, () => runner.run('tpm2_create', args, { cwd, input: secret }));
}

/** Loads seal.pub/seal.priv under the primary into a saved context (seal.ctx). */
export async function loadSealedObject(runner: ToolRunner, cwd: string): Promise<void> {
  await withFlush(runner, cwd, () =>
    runner.run('tpm2_load', ['-Q', '-C', FILES.primary, '-u', FILES.pub, '-r', FILES.priv, '-c', FILES.sealed], { cwd }),
  );
}

/** Unseals to stdout under a PCR policy, or a PCR + password policy when a PIN is given. */
export async function unsealObject(runner: ToolRunner, cwd: string, pcrs: string, pinArg: string | undefined): Promise<Uint8Array> {
  if (pinArg === undefined) {
    return withFlush(runner, cwd, () => runner.run('tpm2_unseal', ['-c', FILES.sealed, '-p', `pcr:${pcrs}`], { cwd }));
  }
  try {
    return await withFlush(runner, cwd, async () => {
      await runner.run('tpm2_startauthsession', ['--policy-session', '-S', FILES.session], { cwd });
      await runner.run('tpm2_policypcr', ['-Q', '-S', FILES.session, '-l', pcrs], { cwd });
      await runner.run('tpm2_policypassword', ['-Q', '-S', FILES.session], { cwd });
      return runner.run('tpm2_unseal', ['-c', FILES.sealed, '-p', `session:${FILES.session}+${pinArg}`], { cwd });
    });
  } finally {
    await flushSession(runner, cwd, FILES.session);
  }
}
