// `memory-vault prove-existence` / `verify-existence`: a commitment plus a Merkle inclusion
// proof that a memory existed (not a zero-knowledge proof). Verification runs offline.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { VaultError } from '../../../core/errors.js';
import { existenceDisclosureSchema } from '../../../core/integrations/existence/existence-proof.js';
import { verifyExistenceProof, type ExistenceVerification } from '../../../core/integrations/existence/verify-existence.js';
import { discloseExistence, proveExistence } from '../../../node/integrations/existence-prover.js';
import { emit } from '../../io/output.js';
import { withVault, type GlobalOptions } from '../../io/vault-access.js';
import { intOption, run } from '../run.js';

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new VaultError('INVALID_INPUT', `The ${what} file cannot be read as JSON.`);
  }
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new VaultError('INVALID_INPUT', 'The content file cannot be read.');
  }
}

function hexSalt(text: string): Buffer {
  if (!/^[0-9a-fA-F]{32}$/.test(text)) throw new VaultError('INVALID_INPUT', '--salt is 16 bytes in hex (32 characters).');
  return Buffer.from(text, 'hex');
}

export function registerExistenceCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('prove-existence <memory>')
    .description('Write a proof that a memory existed: its commitment and a Merkle inclusion proof (no plaintext)')
    .requiredOption('-o, --output <file>', 'proof file to write')
    .option('--disclose <file>', 'also write the content and salt that open the commitment (PLAINTEXT; asks for approval like a recall)')
    .action((memory: string, o: { output: string; disclose?: string }) =>
      run(globals(), async (g) => {
        const result = await withVault(g, async (s) => {
          const id = s.engine.describe(memory).id;
          const proof = await proveExistence(s, id);
          writeFileSync(o.output, `${JSON.stringify(proof, null, 2)}\n`, { mode: 0o600 });
          if (o.disclose) {
            const disclosure = await discloseExistence(s, id, { kind: 'owner', channel: 'cli' });
            writeFileSync(o.disclose, `${JSON.stringify(disclosure, null, 2)}\n`, { mode: 0o600 });
          }
          return {
            memoryId: id,
            output: o.output,
            checkpointSize: proof.checkpointSize,
            anchors: proof.anchors.length,
            disclosure: o.disclose ?? null,
          };
        });
        emit(
          g,
          result,
          (r) =>
            `existence proof for ${r.memoryId} written to ${r.output} (checkpoint ${r.checkpointSize}, ${r.anchors} anchor(s))${r.disclosure ? `; disclosure (contains plaintext) in ${r.disclosure}` : ''}`,
        );
      }),
    );

  program
    .command('verify-existence <proof>')
    .description('Check an existence proof offline; with content and salt, check that they open the commitment')
    .option('--content <file>', 'the disclosed content')
    .option('--salt <hex>', 'the disclosed commitment salt')
    .option('--disclosure <file>', 'a disclosure file written by prove-existence --disclose')
    .option('--key <verifierKey>', 'the vault verifier key you trust (default: the key inside the proof)')
    .option('--before <size>', 'require the proof checkpoint to hold at most this many events')
    .action((path: string, o: { content?: string; salt?: string; disclosure?: string; key?: string; before?: string }) =>
      run(globals(), async (g) => {
        let content: Buffer | undefined;
        let salt: Buffer | undefined;
        if (o.disclosure) {
          const d = existenceDisclosureSchema.safeParse(readJson(o.disclosure, 'disclosure'));
          if (!d.success) throw new VaultError('INVALID_INPUT', 'The disclosure file is not an existence disclosure.');
          content = Buffer.from(d.data.contentBase64, 'base64');
          salt = Buffer.from(d.data.salt, 'hex');
        }
        if (o.content) content = readBytes(o.content);
        if (o.salt) salt = hexSalt(o.salt);
        const verdict = verifyExistenceProof(readJson(path, 'proof'), {
          ...(o.key ? { trustedKey: o.key } : {}),
          ...(content ? { content } : {}),
          ...(salt ? { salt } : {}),
          ...(o.before ? { beforeSize: intOption(o.before, '--before', 1, Number.MAX_SAFE_INTEGER) } : {}),
        });
        if (!verdict.valid)
          throw new VaultError('INTEGRITY_FAILURE', `The existence proof does not verify: ${verdict.failures.join('; ')}`);
        emit(g, verdict, (v: ExistenceVerification) =>
          [
            `valid: memory ${v.memoryId} was committed in the log by checkpoint ${v.checkpointSize}`,
            v.keyPinned ? 'key: the one you gave' : 'key: the one inside the proof (pass --key to pin it)',
            v.contentChecked ? 'content: opens the commitment' : 'content: not checked',
            `anchors checked: ${v.anchorsChecked}`,
          ].join('\n'),
        );
      }),
    );
}
