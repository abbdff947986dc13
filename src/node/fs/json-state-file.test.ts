import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonState, requireJsonState } from './json-state-file.js';

const schema = z.object({ v: z.literal(1), n: z.number().int() }).strict();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mv-json-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readJsonState', () => {
  it('returns the parsed value of a file that matches the schema', () => {
    writeFileSync(join(dir, 's.json'), '{"v":1,"n":7}\n');
    expect(readJsonState(join(dir, 's.json'), schema)).toEqual({ ok: true, value: { v: 1, n: 7 } });
  });

  it('names each failure: missing, unreadable, not JSON, not the schema', () => {
    expect(readJsonState(join(dir, 'absent.json'), schema)).toEqual({ ok: false, reason: 'missing' });
    mkdirSync(join(dir, 'a-directory'));
    expect(readJsonState(join(dir, 'a-directory'), schema)).toEqual({ ok: false, reason: 'unreadable' });
    writeFileSync(join(dir, 'torn.json'), '{"v":1,"n":');
    expect(readJsonState(join(dir, 'torn.json'), schema)).toEqual({ ok: false, reason: 'not-json' });
    writeFileSync(join(dir, 'extra.json'), '{"v":1,"n":7,"admin":true}');
    expect(readJsonState(join(dir, 'extra.json'), schema)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('requireJsonState', () => {
  it('throws VAULT_CORRUPT by default, or the code the caller uses, without the file content', () => {
    writeFileSync(join(dir, 'bad.json'), '{"secret-looking":"canary-6f1e"}');
    expect(() => requireJsonState(join(dir, 'bad.json'), schema, 'test record')).toThrow(
      expect.objectContaining({
        code: 'VAULT_CORRUPT',
        message: 'The test record does not match the expected format.',
        details: { reason: 'invalid' },
      }),
    );
    expect(() => requireJsonState(join(dir, 'absent.json'), schema, 'test record', 'INTEGRITY_FAILURE')).toThrow(
      expect.objectContaining({ code: 'INTEGRITY_FAILURE', details: { reason: 'missing' } }),
    );
    try {
      requireJsonState(join(dir, 'bad.json'), schema, 'test record');
    } catch (e) {
      expect(String(e instanceof Error ? e.message : e)).not.toContain('canary-6f1e');
    }
  });
});
