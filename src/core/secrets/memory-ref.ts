// References to memories: `mv://<namespace>/<id>[#field]` and `mv://<namespace>/by-title/<title>[#field]`
// (docs/SECRETS.md). Invariant: the parser is strict — a text either denotes exactly one
// reference or is refused with INVALID_INPUT; there is no lenient second reading, so a reference
// an owner approved cannot be re-read as a different one. Hand-written because a URL parser
// (WHATWG URL) normalises, accepts far more than this grammar and lower-cases hosts, which would
// make two spellings name one reference.
import { VaultError } from '../errors.js';

export const MEMORY_REF_SCHEME = 'mv://';
export const BY_TITLE = 'by-title';
/** Same rule as a stored memory's namespace. */
export const REF_NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
/** A hex id prefix must be at least the short id (8) so a reference is not a guess over few rows. */
export const MIN_ID_PREFIX = 8;
export const MAX_REF_CHARS = 4096;
/** Titles are limited to 500 characters when stored (store-input MAX_TITLE_CHARS). */
export const MAX_REF_TITLE_CHARS = 500;
export const MAX_FIELD_SEGMENTS = 16;
export const MAX_FIELD_SEGMENT_CHARS = 128;

export type MemoryRefTarget =
  /** A full lower-case UUID (with dashes), or a lower-case hex prefix of 8–31 digits of it (no dashes). */
  | { readonly kind: 'id'; readonly id: string }
  /** The exact title of a memory (not tombstoned) in the namespace. */
  | { readonly kind: 'title'; readonly title: string };

export interface MemoryRef {
  readonly namespace: string;
  readonly target: MemoryRefTarget;
  /** A path into JSON content (object keys; all-digit segments also index arrays); null = the whole content. */
  readonly field: readonly string[] | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX_PREFIX = /^[0-9a-f]{8,31}$/;
/** RFC 3986 unreserved characters stay literal in titles; everything else is %XX (UTF-8). */
const TITLE_LITERAL = /^[A-Za-z0-9\-._~]$/;
/** In field segments '.' separates, so it is encoded too. */
const SEGMENT_LITERAL = /^[A-Za-z0-9\-_~]$/;
const PCT_RUN = /^(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})+$/;

function invalid(why: string): VaultError {
  return new VaultError(
    'INVALID_INPUT',
    `Not a memory reference (mv://<namespace>/<id>[#field] or mv://<namespace>/by-title/<title>[#field]): ${why}.`,
  );
}

/** Percent-encode UTF-8 text, keeping the characters `literal` accepts. */
function pctEncode(text: string, literal: RegExp): string {
  let out = '';
  for (const ch of text) {
    if (literal.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decode a percent-encoded run; the bytes must be well-formed UTF-8 without control characters. */
function pctDecode(run: string, literal: RegExp, what: string): string {
  if (!PCT_RUN.test(run)) throw invalid(`the ${what} may contain only A-Z a-z 0-9 - . _ ~ and %XX escapes`);
  const bytes: number[] = [];
  for (let i = 0; i < run.length;) {
    const c = run.charAt(i);
    if (c === '%') {
      bytes.push(Number.parseInt(run.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      if (!literal.test(c)) throw invalid(`"${c}" must be percent-encoded in the ${what}`);
      bytes.push(c.charCodeAt(0));
      i += 1;
    }
  }
  const buf = Buffer.from(bytes);
  const text = buf.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buf)) throw invalid(`the ${what} is not valid UTF-8`);
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) throw invalid(`the ${what} contains a control character`);
  return text;
}

/** A field selector's text (`db.password`, without `#`) → its segments; INVALID_INPUT when malformed. */
export function parseFieldSelector(text: string): string[] {
  if (text.length === 0) throw invalid('an empty field after #');
  const segments = text.split('.').map((s) => pctDecode(s, SEGMENT_LITERAL, 'field'));
  if (segments.length > MAX_FIELD_SEGMENTS) throw invalid(`at most ${MAX_FIELD_SEGMENTS} field segments`);
  for (const s of segments) {
    if (s.length === 0) throw invalid('an empty field segment');
    if (s.length > MAX_FIELD_SEGMENT_CHARS) throw invalid('a field segment is too long');
  }
  return segments;
}

/** Parse a reference strictly; INVALID_INPUT naming what is wrong (never echoing the text). */
export function parseMemoryRef(text: string): MemoryRef {
  if (typeof text !== 'string') throw invalid('not text');
  if (text.length > MAX_REF_CHARS) throw invalid('too long');
  if (!text.startsWith(MEMORY_REF_SCHEME)) throw invalid('it must start with mv://');
  const body = text.slice(MEMORY_REF_SCHEME.length);
  const hash = body.indexOf('#');
  const path = hash === -1 ? body : body.slice(0, hash);
  const field = hash === -1 ? null : parseFieldSelector(body.slice(hash + 1));
  const parts = path.split('/');
  const namespace = parts[0] ?? '';
  if (!REF_NAMESPACE_PATTERN.test(namespace))
    throw invalid('the namespace must be letters, digits, . _ - (max 64), starting with a letter or digit');
  if (parts.length === 2) {
    const id = parts[1] ?? '';
    if (!UUID.test(id) && !HEX_PREFIX.test(id))
      throw invalid(`the id must be a full lower-case memory id or a lower-case hex prefix of at least ${MIN_ID_PREFIX} digits`);
    return { namespace, target: { kind: 'id', id }, field };
  }
  if (parts.length === 3 && parts[1] === BY_TITLE) {
    const title = pctDecode(parts[2] ?? '', TITLE_LITERAL, 'title');
    if (title.length === 0) throw invalid('an empty title');
    if (title.length > MAX_REF_TITLE_CHARS) throw invalid('the title is too long');
    return { namespace, target: { kind: 'title', title }, field };
  }
  throw invalid('expected mv://<namespace>/<id> or mv://<namespace>/by-title/<title>');
}

/** The canonical text of a reference: parseMemoryRef(formatMemoryRef(r)) equals r. */
export function formatMemoryRef(ref: MemoryRef): string {
  const target = ref.target.kind === 'id' ? ref.target.id : `${BY_TITLE}/${pctEncode(ref.target.title, TITLE_LITERAL)}`;
  const field = ref.field === null ? '' : `#${ref.field.map((s) => pctEncode(s, SEGMENT_LITERAL)).join('.')}`;
  return `${MEMORY_REF_SCHEME}${ref.namespace}/${target}${field}`;
}

/** The canonical reference of a memory: its namespace and full id (stable across title edits). */
export function memoryRefOf(m: { readonly id: string; readonly namespace: string }, field?: readonly string[]): string {
  return formatMemoryRef({
    namespace: m.namespace,
    target: { kind: 'id', id: m.id.toLowerCase() },
    field: field && field.length > 0 ? [...field] : null,
  });
}

/** The by-title reference of a memory. */
export function memoryTitleRefOf(m: { readonly title: string; readonly namespace: string }): string {
  return formatMemoryRef({ namespace: m.namespace, target: { kind: 'title', title: m.title }, field: null });
}
