// Sealing a heir package: JSON (heirPackageSchema) encrypted with age to the heir's X25519
// recipient, ASCII-armored, so the heir needs only the plain `age` tool and their identity.
// Invariant: the plaintext exists only in memory while it is encrypted; what is stored and
// later written out is the armored age ciphertext.
import * as age from 'age-encryption';
import { heirPackageSchema, type Heir, type HeirPackage } from '../../core/deadman/deadman-state.js';
import { VaultError } from '../../core/errors.js';
import { openAgeArmored } from '../age/age-armor.js';

export async function sealHeirPackage(heir: Heir, pkg: HeirPackage): Promise<string> {
  const plaintext = Buffer.from(JSON.stringify(heirPackageSchema.parse(pkg)), 'utf8');
  try {
    const e = new age.Encrypter();
    e.addRecipient(heir.recipient);
    return age.armor.encode(await e.encrypt(plaintext));
  } catch (err) {
    if (err instanceof VaultError) throw err;
    throw new VaultError('INVALID_INPUT', `The age recipient of heir "${heir.name}" is not usable.`);
  } finally {
    plaintext.fill(0);
  }
}

/** For heirs' tooling and tests: decrypt with an identity (AGE-SECRET-KEY-1…) and validate. */
export async function openHeirPackage(armored: string, identity: string): Promise<HeirPackage> {
  const text = await openAgeArmored(armored, identity, 'This identity does not open the package.');
  const parsed = heirPackageSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new VaultError('INTEGRITY_FAILURE', 'The package does not have the expected format.');
  return parsed.data;
}
