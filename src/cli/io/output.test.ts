import { afterEach, describe, expect, it, vi } from 'vitest';
import { emit } from './output.js';

const ESC = '\u001b';
const hostile = { title: `x${ESC}[2J${ESC}]52;c;aGk=\u0007\u009b1A\u202e\u200b\u2028y` };

function captureStdout(fn: () => void): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('emit: the last stage before stdout', () => {
  it('--json: same parsed value, but no raw ESC, CSI, bidi, zero-width or separator character', () => {
    const out = captureStdout(() => emit({ json: true }, hostile, () => ''));
    expect(JSON.parse(out)).toEqual({ ok: true, result: hostile });
    // eslint-disable-next-line no-control-regex -- asserting raw control characters are absent
    expect(out).not.toMatch(/[\u001b\u0007\u009b\u202e\u200b\u2028]/u);
    expect(out).toContain('\\u001b[2J');
    expect(out).toContain('\\u202e');
  });

  it('text: a printer that forgot to neutralise still prints escapes, never the characters', () => {
    const out = captureStdout(() => emit({ json: false }, hostile, (r) => `title: ${r.title}\nnext line`));
    expect(out).toBe('title: x\\x1b[2J\\x1b]52;c;aGk=\\x07\\x9b1A\\u202e\\u200b\\u2028y\nnext line\n');
  });
});
