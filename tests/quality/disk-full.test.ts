// Disk full (simulated with SQLite's max_page_count on the live connection: the database file
// cannot grow): operations fail cleanly with STORAGE_FULL, nothing is half-written, and the
// vault resumes when space returns.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { newVault } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let cleanup = () => undefined as void;
afterEach(() => cleanup());

describe('storage full', () => {
  it('refuses with STORAGE_FULL, leaves no partial memory or audit leaf, and recovers', async () => {
    const v = await newVault();
    cleanup = () => {
      v.session.close();
      v.remove();
    };
    const e = v.session.engine;
    await e.store({ content: 'before', level: 1, title: 'before' }, owner);
    await e.auditLog.checkpointNow();
    const db = v.session.database;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 1}`);
    const before = { memories: e.status().memories[1], audit: e.status().auditEvents };
    let code = '';
    for (let i = 0; i < 20 && code === ''; i++) {
      await e.store({ content: randomBytes(200_000).toString('base64'), level: 1, title: `big ${i}` }, owner).then(
        () => undefined,
        (err: { code?: string }) => (code = String(err.code)),
      );
    }
    expect(code).toBe('STORAGE_FULL');
    const afterFail = { memories: e.status().memories[1], audit: e.status().auditEvents };
    // Whatever committed before the limit is whole; the failed store left no row and no leaf.
    expect(afterFail.audit - before.audit).toBe(afterFail.memories - before.memories);

    db.pragma('max_page_count = 1073741823');
    const m = await e.store({ content: 'after', level: 1, title: 'after' }, owner);
    expect((await e.recall({ memoryId: m.id }, owner)).content.toString()).toBe('after');
    const verified = await e.auditLog.verify();
    expect(verified).toMatchObject({ ok: true, damage: null });
  });
});
