// The atomic-write helper: complete new content or the old content, never a temp file left
// behind. Failures are injected into node:fs (rename, fsync, write) to show the old file survives.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AtomicFile, writeFileAtomic } from './atomic-write.js';

type Op = 'rename' | 'fsync' | 'write';
const inject = vi.hoisted(() => {
  const state: { fail: Op | null; fsyncs: number } = { fail: null, fsyncs: 0 };
  return state;
});

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const injected = (op: Op) => Object.assign(new Error(`injected ${op} failure`), { code: 'EIO' });
  return {
    ...real,
    renameSync: (...a: Parameters<typeof real.renameSync>) => {
      if (inject.fail === 'rename') throw injected('rename');
      return real.renameSync(...a);
    },
    fsyncSync: (...a: Parameters<typeof real.fsyncSync>) => {
      if (inject.fail === 'fsync') throw injected('fsync');
      inject.fsyncs++;
      return real.fsyncSync(...a);
    },
    writeSync: (...a: Parameters<typeof real.writeSync>) => {
      if (inject.fail === 'write') throw injected('write');
      return real.writeSync(...a);
    },
  };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mv-atomic-'));
  inject.fail = null;
  inject.fsyncs = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const target = () => join(dir, 'state.json');

describe('writeFileAtomic', () => {
  it('creates the file with mode 0600 and leaves nothing else in the directory', () => {
    writeFileAtomic(target(), '{"v":1}\n');
    expect(readFileSync(target(), 'utf8')).toBe('{"v":1}\n');
    if (process.platform !== 'win32') expect(statSync(target()).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('replaces existing content, and fsyncs both the file and its directory', () => {
    writeFileSync(target(), 'old');
    writeFileAtomic(target(), Buffer.from('new'));
    expect(readFileSync(target(), 'utf8')).toBe('new');
    expect(inject.fsyncs).toBe(process.platform === 'win32' ? 1 : 2);
  });

  it('uses the mode it is given', () => {
    writeFileAtomic(target(), 'x', { mode: 0o640 });
    if (process.platform !== 'win32') expect(statSync(target()).mode & 0o777).toBe(0o640 & ~process.umask());
  });

  for (const op of ['write', 'fsync', 'rename'] as const) {
    it(`a failed ${op} leaves the old file intact and no temp file`, () => {
      writeFileSync(target(), 'old');
      inject.fail = op;
      expect(() => writeFileAtomic(target(), 'new')).toThrow(`injected ${op} failure`);
      inject.fail = null;
      expect(readFileSync(target(), 'utf8')).toBe('old');
      expect(readdirSync(dir)).toEqual(['state.json']);
    });
  }

  it('exclusive: refuses an existing file with EEXIST and leaves it and the directory as they were', () => {
    writeFileSync(target(), 'theirs');
    expect(() => writeFileAtomic(target(), 'mine', { exclusive: true })).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(target(), 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('exclusive: a failed rename removes its own claim, so no empty file is left', () => {
    inject.fail = 'rename';
    expect(() => writeFileAtomic(target(), 'mine', { exclusive: true })).toThrow('injected rename failure');
    inject.fail = null;
    expect(readdirSync(dir)).toEqual([]);
  });

  it('exclusive: creates a file that does not exist yet', () => {
    writeFileAtomic(target(), 'mine', { exclusive: true });
    expect(readFileSync(target(), 'utf8')).toBe('mine');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});

describe('AtomicFile (streaming writers)', () => {
  it('commit moves the streamed chunks into place; abort keeps the old file', () => {
    writeFileSync(target(), 'old');
    const aborted = AtomicFile.create(target());
    aborted.write('half');
    aborted.abort();
    expect(readFileSync(target(), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['state.json']);

    const f = AtomicFile.create(target());
    f.write('a');
    f.write(Buffer.from('b'));
    f.commit();
    expect(readFileSync(target(), 'utf8')).toBe('ab');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});
