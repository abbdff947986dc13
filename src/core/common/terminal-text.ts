// Agent text is data, never control. Invariant: every string an agent (or anyone but the vault)
// supplied reaches the owner's terminal or `--json` stdout only through this module, and what
// comes out contains no character a terminal could act on or that could hide or reorder what
// the owner reads: no C0/C1 control (so no ESC, no 0x9B CSI: every ANSI CSI/OSC sequence is
// defused), no bidi override/isolate/mark, no zero-width character, no line or paragraph
// separator, no lone surrogate. Such characters are shown visibly escaped (`\x1b`, `\u202e`),
// never dropped, so the owner sees that something was there. Ordinary text of any script and
// emoji (including ZWJ emoji sequences) passes unchanged.
//
// Hand-written on purpose: strip-ansi & co. delete sequences (hiding the attempt) and know
// nothing of bidi or zero-width characters; the rule here is one small character class.

/**
 * Every character that is never shown raw. Tab and newline are in it too; the multi-line
 * variant lets those two through. Ranges: C0 + DEL + C1; U+061C ALM; U+200B–U+200F ZWSP, ZWNJ,
 * ZWJ, LRM, RLM; U+2028–U+202E LS, PS, LRE, RLE, PDF, LRO, RLO; U+2060–U+2064 word joiner and
 * invisible operators; U+2066–U+206F isolates and deprecated format controls; U+FEFF BOM/ZWNBSP;
 * U+FFF9–U+FFFB interlinear annotation; lone surrogates (in `u` mode a class of surrogates only
 * matches an unpaired one).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]/gu;
/** The same minus C0: `JSON.stringify` escapes C0 inside strings, and outside them it is layout. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]/gu;
const ZWJ = 0x200d;
const EMOJI_BEFORE_ZWJ = /\p{Extended_Pictographic}(?:\u{fe0f}|[\u{1f3fb}-\u{1f3ff}])?$/u;
const EMOJI_AFTER_ZWJ = /^\p{Extended_Pictographic}/u;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A ZWJ that joins two emoji (👩‍💻, 🏳️‍🌈) is part of ordinary text; anywhere else it is hidden. */
function isEmojiJoiner(s: string, offset: number): boolean {
  return EMOJI_BEFORE_ZWJ.test(s.slice(Math.max(0, offset - 4), offset)) && EMOJI_AFTER_ZWJ.test(s.slice(offset + 1, offset + 3));
}

function isAllowed(ch: string, offset: number, s: string, multiLine: boolean): boolean {
  if (multiLine && (ch === '\n' || ch === '\t')) return true;
  return ch.charCodeAt(0) === ZWJ && isEmojiJoiner(s, offset);
}

export function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

function neutralise(s: string, multiLine: boolean): string {
  return s.replace(UNSAFE, (ch, offset: number) => (isAllowed(ch, offset, s, multiLine) ? ch : escapeChar(ch)));
}

/** For a field that must stay on one line (a title, a tag, a justification in a prompt): newline → `\n`. */
export function neutraliseLine(s: string): string {
  return neutralise(s, false);
}

/** For a block of text: newlines and tabs stay, everything else unsafe is escaped. */
export function neutraliseText(s: string): string {
  return neutralise(s, true);
}

/**
 * The store/creation-time predicate (titles, tags, namespaces, metadata keys, agent names):
 * true when `s` has none of the characters above, not even a newline or a tab.
 */
export function isPlainText(s: string): boolean {
  for (const m of s.matchAll(UNSAFE)) if (!isAllowed(m[0], m.index, s, false)) return false;
  return true;
}

export const PLAIN_TEXT_MESSAGE = 'must not contain control, bidi or zero-width characters';

/**
 * JSON for `--json` stdout: `JSON.stringify` already escapes C0 and lone surrogates; this also
 * writes DEL, C1, bidi, zero-width and U+2028/9 as `\uXXXX`. Those characters can only occur
 * inside string literals, so the result is still valid JSON with the same parsed value.
 */
export function toTerminalJson(value: unknown, space?: number): string {
  const json = JSON.stringify(value, null, space);
  // `undefined`, a function or a symbol has no JSON form; print what JSON.stringify means by it.
  if (json === undefined) return 'null';
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
