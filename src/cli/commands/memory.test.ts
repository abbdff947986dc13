// `recall`'s output decision: content is opaque bytes, written exactly to a pipe, a file, with
// --raw or inside --json, and neutralised only when stdout is a terminal that could act on it.
import { describe, expect, it } from 'vitest';
import { recallOutputOf } from './memory.js';

describe('recallOutputOf', () => {
  it('neutralises only for a terminal without --raw or --json', () => {
    expect(recallOutputOf({ json: false, raw: false, stdoutIsTty: true })).toBe('neutralised');
    expect(recallOutputOf({ json: false, raw: false, stdoutIsTty: false })).toBe('exact');
    expect(recallOutputOf({ json: false, raw: true, stdoutIsTty: true })).toBe('exact');
    expect(recallOutputOf({ json: false, raw: true, stdoutIsTty: false })).toBe('exact');
  });

  it('--json wins over --raw and the terminal: the document carries the exact value (string or base64)', () => {
    expect(recallOutputOf({ json: true, raw: false, stdoutIsTty: true })).toBe('json');
    expect(recallOutputOf({ json: true, raw: true, stdoutIsTty: true })).toBe('json');
    expect(recallOutputOf({ json: true, raw: false, stdoutIsTty: false })).toBe('json');
  });
});
