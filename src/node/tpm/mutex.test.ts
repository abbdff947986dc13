import { describe, expect, it } from 'vitest';
import { Mutex, mutexForTarget } from './mutex.js';

describe('Mutex', () => {
  it('runs tasks one at a time in FIFO order, also after a failure', async () => {
    const m = new Mutex();
    const log: string[] = [];
    let active = 0;
    const task =
      (name: string, fail = false) =>
      async () => {
        active++;
        expect(active).toBe(1);
        log.push(`start ${name}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${name}`);
        active--;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([m.run(task('a')), m.run(task('b', true)), m.run(task('c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
  it('shares one mutex per TPM target', () => {
    expect(mutexForTarget('swtpm:host=127.0.0.1,port=1')).toBe(mutexForTarget('swtpm:host=127.0.0.1,port=1'));
    expect(mutexForTarget(undefined)).not.toBe(mutexForTarget('swtpm:host=127.0.0.1,port=1'));
  });
});
