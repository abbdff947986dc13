// Reading age identity and recipient files in the formats the age tools write, so that a file
// from `age-keygen -o key.txt` (comment lines, then the key) or a recipients file from
// `age-keygen -y` works wherever this project asks for one.
// Invariant: an identity's text never appears in an error message; a file with no usable
// identity is INVALID_INPUT (the file is wrong), an identity that does not open is the caller's
// BAD_CREDENTIALS.
import type * as age from 'age-encryption';
import { VaultError } from '../../core/errors.js';

// Bech32 as age writes it: identities upper case, recipients lower case (age spec, "Encoding").
const IDENTITY = /^AGE-SECRET-KEY-1[02-9ACDEFGHJKLMNPQRSTUVWXYZ]{58}$/;
const RECIPIENT = /^age1[02-9acdefghjklmnpqrstuvwxyz]{58}$/;

/** Meaningful lines of an age-format file: `#` comments and blank lines are skipped, as age does. */
function entries(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Every X25519 identity in an identity file; several are allowed (age tries each). */
export function parseAgeIdentities(text: string): string[] {
  const lines = entries(text);
  const bad = lines.findIndex((l) => !IDENTITY.test(l));
  if (bad >= 0) {
    const plugin = lines[bad]?.startsWith('AGE-PLUGIN-') === true;
    throw new VaultError(
      'INVALID_INPUT',
      plugin
        ? 'The identity file holds an age plugin identity; only X25519 identities (AGE-SECRET-KEY-1…) are supported.'
        : `Line ${bad + 1} of the identity file (comments skipped) is not an age identity (AGE-SECRET-KEY-1…).`,
    );
  }
  if (lines.length === 0) throw new VaultError('INVALID_INPUT', 'The identity file holds no age identity (AGE-SECRET-KEY-1…).');
  return lines;
}

/** Adds every identity of an identity file to a decrypter. */
export function addAgeIdentities(decrypter: age.Decrypter, identityFileText: string): void {
  for (const id of parseAgeIdentities(identityFileText)) decrypter.addIdentity(id);
}

/**
 * One recipient for a slot that holds one (a backup, an escrow share, an heir): either the
 * `age1…` string itself or the path of a recipients file holding exactly one recipient.
 */
export function resolveAgeRecipient(arg: string, readFile: (path: string) => string): string {
  const value = arg.trim();
  if (RECIPIENT.test(value)) return value;
  if (value.startsWith('age1')) throw new VaultError('INVALID_INPUT', 'This is not a valid age recipient (age1… in bech32).');
  const lines = entries(readFile(value));
  const recipients = lines.filter((l) => RECIPIENT.test(l));
  if (recipients.length !== lines.length || recipients.length === 0) {
    throw new VaultError('INVALID_INPUT', `The recipients file ${value} must hold age X25519 recipients (age1…), one per line.`);
  }
  if (recipients.length > 1)
    throw new VaultError('INVALID_INPUT', `The recipients file ${value} holds ${recipients.length} recipients; this takes exactly one.`);
  return recipients[0] ?? value;
}
