// The checkpoint record beside the vault (AUDIT-FORMAT §11) covers every durable commit before
// it is acknowledged, lags normal commits by at most one signing batch, and a record that
// cannot be written means no acknowledgement.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { newVault, reopen } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

function recordedSize(dir: string): number {
  return (JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as { size: number }).size;
}

describe('checkpoint record', () => {
  it('a level-3 store is acknowledged only once the record covers its leaf; level 0-2 wait for the next signing', async () => {
    // Batched signing effectively off (huge batch, 1 h), so only durable commits move the record.
    const v = await newVault({ config: { checkpoints: { everyEvents: 1_000_000, everyMs: 3_600_000 } } });
    cleanup.push(v.remove, () => v.session.abandon());
    const e = v.session.engine;
    await e.store({ content: 'secret', level: 3, title: 'l3' }, owner);
    expect(recordedSize(v.dir)).toBe(e.auditLog.size());
    const before = recordedSize(v.dir);
    await e.store({ content: 'note', level: 1, title: 'l1' }, owner);
    expect(e.auditLog.size()).toBeGreaterThan(before);
    expect(recordedSize(v.dir)).toBe(before); // normal commit: not waited for
    await e.auditLog.checkpointNow();
    expect(recordedSize(v.dir)).toBe(e.auditLog.size()); // the next signing covers it
  });

  it('a record that cannot be written fails the durable commit instead of acknowledging it', async () => {
    const v = await newVault();
    cleanup.push(v.remove, () => v.session.abandon());
    rmSync(join(v.dir, 'checkpoint.json'));
    mkdirSync(join(v.dir, 'checkpoint.json'));
    writeFileSync(join(v.dir, 'checkpoint.json', 'occupied'), 'x');
    await expect(v.session.engine.store({ content: 'secret', level: 3, title: 'l3' }, owner)).rejects.toMatchObject({
      code: 'AUDIT_FAILURE',
    });
  });

  it("another vault's record is refused as a checkpoint this vault's key did not sign", async () => {
    const a = await newVault();
    const b = await newVault();
    cleanup.push(a.remove, b.remove);
    a.session.close();
    b.session.close();
    copyFileSync(join(b.dir, 'checkpoint.json'), join(a.dir, 'checkpoint.json'));
    await expect(reopen(a.dir)).rejects.toMatchObject({ code: 'INTEGRITY_FAILURE', details: { kind: 'forged-checkpoint' } });
  });

  it('a vault without a record (older format, or the file removed) gets one for its log at unlock', async () => {
    const v = await newVault();
    cleanup.push(v.remove);
    v.session.close();
    rmSync(join(v.dir, 'checkpoint.json'));
    const s = await reopen(v.dir);
    try {
      expect(existsSync(join(v.dir, 'checkpoint.json'))).toBe(true);
      expect(recordedSize(v.dir)).toBe(s.engine.auditLog.size());
    } finally {
      s.close();
    }
  });
});
