// Opening ASCII-armored age files (heir packages, escrow shares) with an X25519 identity.
// A wrong identity is BAD_CREDENTIALS, never a crash or a partial result.
import * as age from 'age-encryption';
import { VaultError } from '../../core/errors.js';

export async function openAgeArmored(armored: string, identity: string, refusal: string): Promise<string> {
  const d = new age.Decrypter();
  d.addIdentity(identity.trim());
  try {
    return await d.decrypt(age.armor.decode(armored), 'text');
  } catch {
    throw new VaultError('BAD_CREDENTIALS', refusal);
  }
}
