// Threat: plaintext of a sealed memory reaching disk (database, WAL, shm, temp files).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { approvingGate, newVault, reopen } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let remove: (() => void) | undefined;
afterEach(() => remove?.());

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

function containsCanary(bytes: Buffer, canary: string): string | null {
  if (bytes.includes(Buffer.from(canary, 'utf8'))) return 'utf8';
  if (bytes.includes(Buffer.from(canary, 'utf16le'))) return 'utf16le';
  if (bytes.includes(Buffer.from(Buffer.from(canary, 'utf16le').swap16()))) return 'utf16be';
  return null;
}

describe('no plaintext on disk', () => {
  it('a level-3 canary (content and metadata) appears in no byte of the vault directory, open or closed', async () => {
    const content = `CANARY-CONTENT-${randomBytes(12).toString('hex')}`;
    const metaCanary = `CANARY-META-${randomBytes(12).toString('hex')}`;
    const titleCanary = `CANARY-TITLE-${randomBytes(12).toString('hex')}`;
    const v = await newVault({ gates: { approvals: approvingGate() } });
    remove = v.remove;
    const m = await v.session.engine.store(
      { content, level: 3, title: titleCanary, tags: [metaCanary.toLowerCase()], metadata: { note: metaCanary } },
      owner,
    );
    // Also exercise recall, search and a low-level memory so WAL and FTS pages are written.
    expect((await v.session.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe(content);
    await v.session.engine.store({ content: `low ${metaCanary}`, level: 1, title: 'low' }, owner);
    expect(await v.session.engine.search({ query: metaCanary }, owner)).toHaveLength(2);

    // While open (WAL and shm present) ...
    const scanOpen = allFiles(v.dir);
    expect(scanOpen.some((f) => f.endsWith('-wal'))).toBe(true);
    for (const f of scanOpen)
      for (const c of [content, metaCanary, titleCanary]) expect({ f, hit: containsCanary(readFileSync(f), c) }).toEqual({ f, hit: null });

    // ... and after close.
    v.session.close();
    const files = allFiles(v.dir);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files)
      for (const c of [content, metaCanary, titleCanary]) expect({ f, hit: containsCanary(readFileSync(f), c) }).toEqual({ f, hit: null });

    // The data is really there: reopening recovers it.
    const again = await reopen(v.dir, { gates: { approvals: approvingGate() } });
    expect((await again.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe(content);
    again.close();
  });

  it('the scan itself can fail: a plaintext file in the directory is found', () => {
    const canary = 'CANARY-SELF-TEST';
    expect(containsCanary(Buffer.from(`xx${canary}yy`), canary)).toBe('utf8');
    expect(containsCanary(Buffer.from(`xx${canary}yy`, 'utf16le'), canary)).toBe('utf16le');
  });
});
