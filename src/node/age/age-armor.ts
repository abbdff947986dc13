// Opening ASCII-armored age files (heir packages, escrow shares) with an X25519 identity.
// A wrong identity is BAD_CREDENTIALS, never a crash or a partial result.
import * as age from 'age-encryption';
import { VaultError } from '../../core/errors.js';
import { addAgeIdentities } from './age-identity-file.js';

/** `identityFile` is the text of an age identity file (age-keygen format) or a bare identity. */
export async function openAgeArmored(armored: string, identityFile: string, refusal: string): Promise<string> {
  const d = new age.Decrypter();
  addAgeIdentities(d, identityFile);
  try {
    return await d.decrypt(age.armor.decode(armored), 'text');
  } catch {
    throw new VaultError('BAD_CREDENTIALS', refusal);
  }
}
