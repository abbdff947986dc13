import { describe, expect, it } from 'vitest';
import { SecretValue } from './secret-value.js';

describe('SecretValue', () => {
  it('never serialises or prints its bytes, and wipes them', () => {
    const src = Buffer.from('hunter2-value');
    const v = SecretValue.of(src);
    src.fill(0); // a copy was taken
    expect(v.bytes().toString()).toBe('hunter2-value');
    expect(() => JSON.stringify({ v })).toThrow(/may not be serialised/);
    expect(`${String(v)}`).toBe('[secret]');
    const custom = Reflect.get(v, Symbol.for('nodejs.util.inspect.custom')) as () => string;
    expect(custom.call(v)).toBe('[secret]');
    const live = v.bytes();
    v.wipe();
    expect(live.every((b) => b === 0)).toBe(true);
    expect(() => v.bytes()).toThrow();
  });
});
