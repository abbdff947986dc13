// Templates for `memory-vault inject`: text with `{{ mv://… }}` placeholders. Invariant: a
// template is parsed completely before anything is resolved — a malformed placeholder or an
// unterminated `{{` refuses the whole template (INVALID_INPUT), so a half-rendered file never
// exists; text outside placeholders is copied byte for byte.
import { VaultError } from '../errors.js';
import { formatMemoryRef, parseMemoryRef, type MemoryRef } from './memory-ref.js';
import type { SecretValue } from './secret-value.js';

export interface InjectPlaceholder {
  readonly ref: MemoryRef;
  /** The canonical reference text (formatMemoryRef): the key of the values map. */
  readonly text: string;
}

export interface InjectTemplate {
  readonly parts: readonly (string | InjectPlaceholder)[];
  /** The distinct canonical references, in order of first appearance. */
  readonly refs: readonly string[];
}

export const MAX_TEMPLATE_PLACEHOLDERS = 256;

const PLACEHOLDER = /\{\{\s*(mv:\/\/[^\s{}]*)\s*\}\}/g;

export function parseInjectTemplate(text: string): InjectTemplate {
  const parts: (string | InjectPlaceholder)[] = [];
  const refs: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const at = m.index;
    const literal = text.slice(last, at);
    if (literal.includes('{{ mv://') || literal.includes('{{mv://'))
      throw new VaultError('INVALID_INPUT', 'The template has a malformed {{ mv://… }} placeholder.');
    if (literal) parts.push(literal);
    const ref = parseMemoryRef(m[1] ?? '');
    const canonical = formatMemoryRef(ref);
    parts.push({ ref, text: canonical });
    if (!refs.includes(canonical)) refs.push(canonical);
    if (refs.length > MAX_TEMPLATE_PLACEHOLDERS)
      throw new VaultError('INVALID_INPUT', `A template may name at most ${MAX_TEMPLATE_PLACEHOLDERS} references.`);
    last = at + m[0].length;
  }
  const tail = text.slice(last);
  if (/\{\{\s*mv:\/\//.test(tail))
    throw new VaultError('INVALID_INPUT', 'The template has a malformed or unterminated {{ mv://… }} placeholder.');
  if (tail) parts.push(tail);
  return { parts, refs };
}

/** The rendered bytes; INTERNAL if a reference has no value (the caller resolves every `refs` entry). */
export function renderInjectTemplate(t: InjectTemplate, values: ReadonlyMap<string, SecretValue>): Buffer {
  const chunks: Buffer[] = [];
  for (const p of t.parts) {
    if (typeof p === 'string') chunks.push(Buffer.from(p, 'utf8'));
    else {
      const v = values.get(p.text);
      if (!v) throw new VaultError('INTERNAL', 'A template reference was not resolved.');
      chunks.push(v.bytes());
    }
  }
  return Buffer.concat(chunks);
}
