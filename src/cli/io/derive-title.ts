// `store` without --title: a title the owner will recognise, derived without putting secret
// content into metadata. Titles are searchable metadata shown to agents in lists, so content of
// level 3 and above is never used: those memories take the file's name or must be titled.
import { basename } from 'node:path';
import { VaultError } from '../../core/errors.js';

/** Long enough to recognise, short enough for a list row. */
const DERIVED_TITLE_CHARS = 80;
// Controls, format characters (bidi, zero-width) and line/paragraph separators would be refused
// in a title; they are dropped from a derived one instead.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

function clean(text: string): string {
  const oneLine = text.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  return chars.length <= DERIVED_TITLE_CHARS ? oneLine : `${chars.slice(0, DERIVED_TITLE_CHARS - 1).join('')}…`;
}

export function deriveTitle(content: Buffer, level: number, file: string | undefined): string {
  if (level <= 2) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(content.subarray(0, 4096));
    const first = text.split(/\r?\n/).find((l) => clean(l) !== '' && !l.includes('\uFFFD'));
    if (first !== undefined) return clean(first);
  }
  if (file !== undefined) {
    const name = clean(basename(file));
    if (name !== '') return name;
  }
  throw new VaultError(
    'INVALID_INPUT',
    level >= 3
      ? 'Give --title: the content of a level-3+ memory is never used as its title.'
      : 'Give --title: the content has no text line to use as a title.',
  );
}
