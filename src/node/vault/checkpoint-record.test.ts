import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCheckpointRecord } from './checkpoint-record.js';

const NOTE = 'memory-vault/x\n7\nAAAA\n\n— memory-vault/x sig\n';
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mv-record-'));
  dirs.push(d);
  return d;
}

describe('FileCheckpointRecord', () => {
  it('reads back what it wrote, owner-only, with no temporary file left', () => {
    const d = dir();
    const r = new FileCheckpointRecord(d);
    expect(r.read()).toBeNull();
    r.write({ size: 7, rootHash: 'AAAA', note: NOTE });
    expect(r.read()).toBe(NOTE);
    expect(statSync(join(d, 'checkpoint.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(d, 'checkpoint.json'), 'utf8'))).toMatchObject({
      format: 'memory-vault/checkpoint-record',
      version: 1,
      size: 7,
    });
  });

  it('a malformed file, or a size that disagrees with the signed note, is INTEGRITY_FAILURE', () => {
    const d = dir();
    const r = new FileCheckpointRecord(d);
    writeFileSync(join(d, 'checkpoint.json'), '{not json');
    expect(() => r.read()).toThrow(expect.objectContaining({ code: 'INTEGRITY_FAILURE' }));
    writeFileSync(
      join(d, 'checkpoint.json'),
      JSON.stringify({ format: 'memory-vault/checkpoint-record', version: 1, size: 9, rootHash: 'AAAA', note: NOTE }),
    );
    expect(() => r.read()).toThrow(expect.objectContaining({ code: 'INTEGRITY_FAILURE' }));
    writeFileSync(join(d, 'checkpoint.json'), JSON.stringify({ format: 'other', version: 1, size: 7, rootHash: 'AAAA', note: NOTE }));
    expect(() => r.read()).toThrow(expect.objectContaining({ code: 'INTEGRITY_FAILURE' }));
  });

  it('a write that cannot land is AUDIT_FAILURE, not a raw errno', () => {
    const d = dir();
    mkdirSync(join(d, 'checkpoint.json'));
    writeFileSync(join(d, 'checkpoint.json', 'x'), 'occupied');
    expect(() => new FileCheckpointRecord(d).write({ size: 7, rootHash: 'AAAA', note: NOTE })).toThrow(
      expect.objectContaining({ code: 'AUDIT_FAILURE' }),
    );
  });

  it('an asynchronous write lands durably; one overtaken by a newer synchronous write is dropped, never put back', async () => {
    const d = dir();
    const r = new FileCheckpointRecord(d);
    const note = (size: number) => `memory-vault/x\n${size}\nAAAA\n\n— memory-vault/x sig\n`;
    await r.writeAsync({ size: 7, rootHash: 'AAAA', note: note(7) });
    expect(r.read()).toBe(note(7));
    r.write({ size: 9, rootHash: 'AAAA', note: note(9) });
    await r.writeAsync({ size: 8, rootHash: 'AAAA', note: note(8) });
    expect(r.read()).toBe(note(9));
    expect(readdirSync(d)).toEqual(['checkpoint.json']);
  });

  it('an asynchronous write that cannot land is AUDIT_FAILURE and leaves no temporary file', async () => {
    const d = dir();
    mkdirSync(join(d, 'checkpoint.json'));
    writeFileSync(join(d, 'checkpoint.json', 'x'), 'occupied');
    await expect(new FileCheckpointRecord(d).writeAsync({ size: 7, rootHash: 'AAAA', note: NOTE })).rejects.toMatchObject({
      code: 'AUDIT_FAILURE',
    });
    expect(readdirSync(d)).toEqual(['checkpoint.json']);
  });
});
