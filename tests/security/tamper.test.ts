// Threat: someone with the database key edits rows (relabels a memory's level, flips bytes).
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { approvingGate, newVault, openRaw, reopen } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let remove: (() => void) | undefined;
afterEach(() => remove?.());

async function setup(level: 0 | 1 | 2 | 3) {
  const v = await newVault();
  remove = v.remove;
  const m = await v.session.engine.store({ content: 'TAMPER-CANARY', level, title: 't' }, owner);
  v.session.close();
  return { dir: v.dir, id: m.id };
}

async function recallAfter(dir: string, id: string) {
  const s = await reopen(dir, { gates: { approvals: approvingGate() } });
  try {
    const r = await s.engine.recall({ memoryId: id }, owner);
    return { code: 'OK', content: r.content.toString(), audit: s.repo.readAuditRecords(0, 1000).map((x) => x.json) };
  } catch (e) {
    return {
      code: (e as { code: string }).code,
      message: String((e as Error).message),
      audit: s.repo.readAuditRecords(0, 1000).map((x) => x.json),
    };
  } finally {
    s.close();
  }
}

describe('tampering with stored memories', () => {
  it('lowering the level of a level-3 memory in the database makes recall fail with INTEGRITY_FAILURE', async () => {
    const { dir, id } = await setup(3);
    const db = await openRaw(dir);
    expect(db.prepare('UPDATE memories SET level = 1 WHERE id = ?').run(id).changes).toBe(1);
    db.close();
    const r = await recallAfter(dir, id);
    expect(r.code).toBe('INTEGRITY_FAILURE');
    expect(JSON.stringify(r)).not.toContain('TAMPER-CANARY');
    const failure = r.audit
      .map((j) => JSON.parse(j) as { kind: string; memory?: { id: string }; code?: string })
      .find((e) => e.kind === 'integrity.failure');
    expect(failure?.memory?.id).toBe(id);
    expect(failure?.code).toBe('INTEGRITY_FAILURE');
  });

  it.each(['ciphertext', 'wrapped_dek', 'content_hash'] as const)(
    'flipping one byte of %s fails with INTEGRITY_FAILURE and is audited',
    async (column) => {
      const { dir, id } = await setup(1);
      const db = await openRaw(dir);
      const row = db.prepare(`SELECT ${column} AS v FROM memories WHERE id = ?`).get(id) as { v: Buffer };
      const bytes = Buffer.from(row.v);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      db.prepare(`UPDATE memories SET ${column} = ? WHERE id = ?`).run(bytes, id);
      db.close();
      const r = await recallAfter(dir, id);
      expect(r.code).toBe('INTEGRITY_FAILURE');
      expect(JSON.stringify(r)).not.toContain('TAMPER-CANARY');
      expect(r.audit.some((j) => j.includes('"integrity.failure"') && j.includes(id))).toBe(true);
    },
  );

  it("swapping two memories' ciphertexts is detected (binding to id)", async () => {
    const v = await newVault();
    remove = v.remove;
    const a = await v.session.engine.store({ content: 'AAAA', level: 1, title: 'a' }, owner);
    const b = await v.session.engine.store({ content: 'BBBB', level: 1, title: 'b' }, owner);
    v.session.close();
    const db = await openRaw(v.dir);
    const get = db.prepare('SELECT ciphertext, wrapped_dek, content_hash FROM memories WHERE id = ?');
    const ra = get.get(a.id) as Record<string, Buffer>;
    const rb = get.get(b.id) as Record<string, Buffer>;
    const set = db.prepare('UPDATE memories SET ciphertext = ?, wrapped_dek = ?, content_hash = ? WHERE id = ?');
    set.run(rb.ciphertext, rb.wrapped_dek, rb.content_hash, a.id);
    set.run(ra.ciphertext, ra.wrapped_dek, ra.content_hash, b.id);
    db.close();
    expect((await recallAfter(v.dir, a.id)).code).toBe('INTEGRITY_FAILURE');
  });

  it('an untouched vault recalls fine (the probe can pass)', async () => {
    const { dir, id } = await setup(1);
    const r = await recallAfter(dir, id);
    expect(r).toMatchObject({ code: 'OK', content: 'TAMPER-CANARY' });
  });
});
