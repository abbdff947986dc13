import { describe, expect, it } from 'vitest';
import { agentCommandDigest, agentCommandInputSchema, tokensOf } from './agent-command.js';
import { fillArgs, formatArgToken, matchArgs, parseArgPattern, parseArgToken } from './command-pattern.js';

function tokens(src: string[]) {
  const p = parseArgPattern(src);
  if ('error' in p) throw new Error(p.error);
  return p.tokens;
}

describe('command patterns', () => {
  it('parses literals, placeholders and escaped literals', () => {
    expect(parseArgToken('-h')).toEqual({ kind: 'literal', value: '-h' });
    expect(parseArgToken('{port:int}')).toEqual({ kind: 'placeholder', name: 'port', type: 'int' });
    expect(parseArgToken('\\{port:int}')).toEqual({ kind: 'literal', value: '{port:int}' });
    expect(parseArgToken('\\\\x')).toEqual({ kind: 'literal', value: '\\x' });
    expect(parseArgToken('{port:float}')).toMatchObject({ error: expect.stringContaining('unknown placeholder type') });
    expect(parseArgToken('{Port}')).toMatchObject({ error: expect.stringContaining('looks like a placeholder') });
    expect(parseArgPattern(['{a:int}', '{a:word}'])).toMatchObject({ error: expect.stringContaining('used twice') });
  });

  it('formatting is the inverse of parsing', () => {
    for (const s of ['-c', '{q:text}', '\\{x:int}', '\\\\y', 'plain']) {
      const t = parseArgToken(s);
      if ('error' in t) throw new Error(t.error);
      expect(formatArgToken(t)).toBe(s);
    }
  });

  it('matches element by element: same count, literals equal, placeholders typed', () => {
    const p = tokens(['-h', '{host:host}', '-p', '{port:int}', '-c', '{sql:text}']);
    expect(matchArgs(p, ['-h', 'db.internal', '-p', '5432', '-c', 'select 1'])).toEqual({
      ok: true,
      values: { host: 'db.internal', port: '5432', sql: 'select 1' },
    });
    expect(matchArgs(p, ['-h', 'db.internal', '-p', '5432', '-c'])).toMatchObject({ ok: false });
    expect(matchArgs(p, ['-h', 'db.internal', '-p', '5432', '-c', 'x', '--extra'])).toMatchObject({ ok: false });
    expect(matchArgs(p, ['-H', 'db.internal', '-p', '5432', '-c', 'x'])).toMatchObject({ ok: false });
    expect(matchArgs(p, ['-h', 'db.internal', '-p', '-1', '-c', 'x'])).toMatchObject({ ok: false });
    expect(matchArgs(p, ['-h', '--set=x', '-p', '1', '-c', 'x'])).toMatchObject({ ok: false });
  });

  it('a word never starts with "-" (an agent cannot turn a value into an option)', () => {
    const p = tokens(['{name:word}']);
    expect(matchArgs(p, ['report_2024.csv']).ok).toBe(true);
    expect(matchArgs(p, ['--output=/etc/passwd']).ok).toBe(false);
    expect(matchArgs(p, ['a b']).ok).toBe(false);
  });

  it('fills placeholders by name and refuses unknown names, missing values and bad types', () => {
    const p = tokens(['-p', '{port:int}']);
    expect(fillArgs(p, { port: '5432' })).toEqual({ ok: true, argv: ['-p', '5432'] });
    expect(fillArgs(p, {})).toMatchObject({ ok: false });
    expect(fillArgs(p, { port: '54x' })).toMatchObject({ ok: false });
    expect(fillArgs(p, { port: '1', extra: '2' })).toMatchObject({ ok: false });
  });
});

describe('allowlist entries', () => {
  const good = { exec: '/usr/bin/psql', args: ['-c', '{q:text}'], cwd: '/tmp', timeoutMs: 30_000, envNames: ['PGPASSWORD'] };

  it('accepts a fully explicit entry', () => {
    expect(agentCommandInputSchema.safeParse(good).success).toBe(true);
  });

  it.each([
    ['a relative executable (PATH lookup)', { ...good, exec: 'psql' }],
    ['an unnormalised executable', { ...good, exec: '/usr/bin/../bin/psql' }],
    ['a relative cwd', { ...good, cwd: 'work' }],
    ['a loader variable', { ...good, envNames: ['LD_PRELOAD'] }],
    ['PATH', { ...good, envNames: ['PATH'] }],
    ['a lower-case name', { ...good, envNames: ['pgpassword'] }],
    ['a duplicate name', { ...good, envNames: ['A', 'A'] }],
    ['a bad pattern', { ...good, args: ['{x:float}'] }],
    ['no time limit', { ...good, timeoutMs: 0 }],
    ['an unknown field', { ...good, shell: true }],
  ])('refuses %s', (_what, input) => {
    expect(agentCommandInputSchema.safeParse(input).success).toBe(false);
  });

  it('the digest covers executable, pattern, directory, limit and names', () => {
    const base = { exec: good.exec, args: tokensOf(good.args), cwd: good.cwd, timeoutMs: good.timeoutMs, envNames: good.envNames };
    const d = agentCommandDigest(base);
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(agentCommandDigest({ ...base, exec: '/usr/bin/psql2' })).not.toBe(d);
    expect(agentCommandDigest({ ...base, args: tokensOf(['-c', '{q:word}']) })).not.toBe(d);
    expect(agentCommandDigest({ ...base, cwd: '/' })).not.toBe(d);
    expect(agentCommandDigest({ ...base, timeoutMs: 1000 })).not.toBe(d);
    expect(agentCommandDigest({ ...base, envNames: [] })).not.toBe(d);
  });
});
