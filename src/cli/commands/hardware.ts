// `memory-vault key add|list|rename|revoke`: the owner's FIDO2 security keys (level 5), over
// node-hid. "Insert / touch your key" goes to stderr so that --json stdout stays one document.
import type { Command } from 'commander';
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import {
  listHardwareKeys,
  registerHardwareKey,
  renameHardwareKey,
  revokeHardwareKey,
  type HardwareKeyView,
} from '../../node/hardware/hardware-key-admin.js';
import { emit } from '../io/output.js';
import { NodeHidTransport } from '../../node/fido2/node-hid-device.js';
import { fido2PinFrom, stderrFido2Status } from '../io/terminal-hardware-key.js';
import { withVault, type GlobalOptions } from '../io/vault-access.js';
import { registerDoctor } from './doctor.js';
import { run } from './run.js';

const nameSchema = z.string().trim().min(1, 'a key name needs 1 to 64 characters').max(64, 'a key name needs 1 to 64 characters');
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{6,1400}$/, 'a key id is the id shown by `key list` (at least 6 characters)');

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new VaultError('INVALID_INPUT', r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}

function describeKey(k: HardwareKeyView): string {
  const flags = [k.userVerification ? 'PIN' : '', k.cloneSuspected ? 'CLONE SUSPECTED' : '', k.revokedAt ? `revoked ${k.revokedAt}` : '']
    .filter(Boolean)
    .join(', ');
  const used = k.lastUsedAt ? `last used ${k.lastUsedAt}` : 'never used';
  return `${k.shortId}  ${k.name}  (AAGUID ${k.aaguid}, ${k.boundMemories} level-5 memories, counter ${k.signCount}, ${used}${flags ? `, ${flags}` : ''})`;
}

/** `key …` and `doctor`. */
export function registerHardwareCommands(program: Command, globals: () => GlobalOptions): void {
  registerDoctor(program, globals);
  const key = program.command('key').description('FIDO2 security keys that protect level-5 memories (hmac-secret)');

  key
    .command('add')
    .description('Register the plugged-in security key (you will be asked to touch it)')
    .requiredOption('--name <name>', 'a name to recognise the key by')
    .option('--pin-file <file>', "the key's PIN, if it has one (else MEMORY_VAULT_FIDO2_PIN_FILE, else asked)")
    .option('--device <path>', 'which HID device, when several keys are plugged in')
    .action((o: { name: string; pinFile?: string; device?: string }) =>
      run(globals(), async (g) => {
        const name = parse(nameSchema, o.name);
        const added = await withVault(g, (s) =>
          registerHardwareKey(s, {
            transport: new NodeHidTransport(),
            name,
            pin: fido2PinFrom(o.pinFile),
            onStatus: stderrFido2Status(),
            ...(o.device ? { devicePath: o.device } : {}),
          }),
        );
        emit(g, added, (k) => `Registered security key ${describeKey(k)}.`);
      }),
    );

  key
    .command('list')
    .description('Registered security keys')
    .option('--all', 'include revoked keys', false)
    .action((o: { all: boolean }) =>
      run(globals(), async (g) => {
        const keys = await withVault(g, (s) => Promise.resolve(listHardwareKeys(s, { includeRevoked: o.all })));
        emit(g, keys, (ks) =>
          ks.length === 0
            ? 'No security keys registered. Add one with `memory-vault key add --name NAME`.'
            : ks.map(describeKey).join('\n'),
        );
      }),
    );

  key
    .command('rename <id> <name>')
    .description('Rename a registered key (id or its first characters, from `key list`)')
    .action((id: string, name: string) =>
      run(globals(), async (g) => {
        const k = await withVault(g, (s) => renameHardwareKey(s, parse(idSchema, id), parse(nameSchema, name)));
        emit(g, k, (x) => `Renamed ${x.shortId} to "${x.name}".`);
      }),
    );

  key
    .command('revoke <id>')
    .description('Revoke a key: it can no longer store or recall level-5 memories')
    .option('--force', 'revoke even though level-5 memories are bound to it (they become unrecallable)', false)
    .action((id: string, o: { force: boolean }) =>
      run(globals(), async (g) => {
        const k = await withVault(g, (s) => revokeHardwareKey(s, parse(idSchema, id), { force: o.force }));
        emit(g, k, (x) => `Revoked ${x.shortId} "${x.name}".`);
      }),
    );
}
