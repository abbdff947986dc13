// The audit log as a transparency log on a real vault file: checkpoints, tamper detection with
// the right index and kind, rollback detection through the witness.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkTree,
  hashLeaf,
  MemoryHashStore,
  openCheckpoint,
  parseVerifierKey,
  storedHashesForRecordHash,
  storedHashIndex,
} from '../../src/core/audit/index.js';
import type { Requester } from '../../src/core/model/requester.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { newVault, openRaw, reopen } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

async function vaultWithEvents(count: number, policy = { everyEvents: 5, everyMs: 60_000 }) {
  const v = await newVault({ config: { checkpoints: policy } });
  cleanup.push(v.remove);
  for (let i = 0; i < count; i++) {
    const m = await v.session.engine.store({ content: `CONTENT-${i}`, level: (i % 3) as 0 | 1 | 2, title: `t${i}` }, owner);
    if (i % 2 === 0) await v.session.engine.recall({ memoryId: m.id }, owner);
  }
  await v.session.engine.auditLog.checkpointNow();
  return v;
}

/** What `audit verify` reports: the unlock-time check or the full verification, whichever fails first. */
async function verifyAfter(dir: string): Promise<{ ok: boolean; events?: number; damage: { index: number; kind: string } | null }> {
  let s: VaultSession;
  try {
    s = await reopen(dir);
  } catch (e) {
    const err = e as { code?: string; details?: { index?: number; kind?: string } };
    if (err.code !== 'INTEGRITY_FAILURE') throw e;
    return { ok: false, damage: { index: Number(err.details?.index), kind: String(err.details?.kind) } };
  }
  cleanup.push(() => s.abandon());
  return s.engine.auditLog.verify();
}

describe('transparency log', () => {
  it('signs checkpoints in batches, each consistent with the previous, none leaking content', async () => {
    const v = await vaultWithEvents(20);
    const log = v.session.engine.auditLog;
    const cps = log.checkpoints();
    expect(cps.length).toBeGreaterThan(3);
    const verifier = parseVerifierKey(log.verifierKey);
    if (!verifier.ok) throw new Error('bad key');
    for (const c of cps) expect(openCheckpoint(c.note, verifier.value).ok).toBe(true);
    for (let i = 1; i < cps.length; i++) {
      const a = cps[i - 1]!;
      const b = cps[i]!;
      if (a.size === 0) continue;
      const proof = (await log.consistency(a.size)).proof.map((h) => Buffer.from(h, 'base64'));
      const to = log.checkpoints().at(-1)!;
      expect(checkTree(proof, to.size, to.root, a.size, a.root).ok).toBe(true);
      expect(b.size).toBeGreaterThan(a.size);
    }
    const all = v.session.repo
      .readAuditRecords(0, 10_000)
      .map((r) => r.json)
      .join('\n');
    expect(all).not.toContain('CONTENT-');
    expect(all).toContain('"commitment"');
    v.session.close();
  });

  it('an untouched vault verifies', async () => {
    const v = await vaultWithEvents(12);
    v.session.close();
    const r = await verifyAfter(v.dir);
    expect(r).toMatchObject({ ok: true, damage: null });
    expect(r.events).toBeGreaterThan(12);
  });

  type Edit = (db: Awaited<ReturnType<typeof openRaw>>) => void;
  const cases: [string, Edit, { index: number; kind: string }][] = [
    [
      'an edited event',
      (db) => db.prepare('UPDATE audit_events SET json = replace(json, \'"outcome":"ok"\', \'"outcome":"refused"\') WHERE seq = 7').run(),
      { index: 7, kind: 'edited' },
    ],
    ['a deleted event', (db) => db.prepare('DELETE FROM audit_events WHERE seq = 9').run(), { index: 9, kind: 'deleted' }],
    [
      'two swapped events',
      (db) => {
        const a = db.prepare('SELECT json, leaf_hash FROM audit_events WHERE seq = 4').get() as { json: string; leaf_hash: Buffer };
        const b = db.prepare('SELECT json, leaf_hash FROM audit_events WHERE seq = 5').get() as { json: string; leaf_hash: Buffer };
        db.prepare('UPDATE audit_events SET json = ?, leaf_hash = ? WHERE seq = 4').run(b.json, b.leaf_hash);
        db.prepare('UPDATE audit_events SET json = ?, leaf_hash = ? WHERE seq = 5').run(a.json, a.leaf_hash);
      },
      { index: 4, kind: 'reordered' },
    ],
    [
      'a truncated log',
      (db) => {
        db.prepare('DELETE FROM audit_events WHERE seq >= 15').run();
        db.prepare('DELETE FROM tree_hashes WHERE idx >= ?').run(storedHashIndex(0, 15));
      },
      { index: 15, kind: 'truncated' },
    ],
    [
      'a replaced checkpoint signature',
      (db) => {
        const c = db.prepare('SELECT size, note FROM checkpoints WHERE size > 0 ORDER BY size LIMIT 1').get() as {
          size: number;
          note: string;
        };
        const lines = c.note.split('\n');
        const sigLine = lines.findIndex((l) => l.startsWith('\u2014 '));
        const parts = lines[sigLine]!.split(' ');
        const sig = Buffer.from(parts[2]!, 'base64');
        sig[sig.length - 1]! ^= 0xff;
        parts[2] = sig.toString('base64');
        lines[sigLine] = parts.join(' ');
        db.prepare('UPDATE checkpoints SET note = ? WHERE size = ?').run(lines.join('\n'), c.size);
      },
      { index: -1, kind: 'forged-checkpoint' },
    ],
  ];

  it.each(cases)('detects %s, naming the first bad index and the kind', async (_name, edit, expected) => {
    const v = await vaultWithEvents(12);
    v.session.close();
    const db = await openRaw(v.dir);
    const firstCheckpoint = (db.prepare('SELECT min(size) AS s FROM checkpoints WHERE size > 0').get() as { s: number }).s;
    edit(db);
    db.close();
    // Verify directly on the damaged store (re-opening appends unlock events, which is fine).
    const r = await verifyAfter(v.dir);
    expect(r.ok).toBe(false);
    expect(r.damage?.kind).toBe(expected.kind);
    expect(r.damage?.index).toBe(expected.index === -1 ? firstCheckpoint : expected.index);
  });

  it('detects a rollback: an old copy of the vault put back is refused at unlock with both checkpoints', async () => {
    const witnessDir = mkdtempSync(join(tmpdir(), 'mv-witness-'));
    const backupDir = mkdtempSync(join(tmpdir(), 'mv-old-copy-'));
    cleanup.push(() => rmSync(witnessDir, { recursive: true, force: true }));
    cleanup.push(() => rmSync(backupDir, { recursive: true, force: true }));
    const v = await vaultWithEvents(4);
    v.session.setWitnessDir(witnessDir);
    v.session.close();
    cpSync(v.dir, join(backupDir, 'vault'), { recursive: true });

    let s: VaultSession = await reopen(v.dir);
    expect(s.engine.auditLog.witnessStatus().state).toBe('consistent');
    for (let i = 0; i < 5; i++) await s.engine.store({ content: `later ${i}`, level: 1, title: 'later' }, owner);
    s.close();

    rmSync(v.dir, { recursive: true, force: true });
    cpSync(join(backupDir, 'vault'), v.dir, { recursive: true });
    let error: { code?: string; message?: string; details?: Record<string, unknown> } = {};
    try {
      s = await reopen(v.dir);
      s.close();
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).toBe('INTEGRITY_FAILURE');
    expect(error.message).toMatch(/Rollback detected/);
    expect(error.details?.witnessCheckpoint).toMatch(/^memory-vault\//);
    expect(error.details?.localCheckpoint).toMatch(/^memory-vault\//);
    expect(Number(error.details?.witnessSize)).toBeGreaterThan(Number(error.details?.localSize));
  });

  it('detects a fork: same size, different history', async () => {
    const witnessDir = mkdtempSync(join(tmpdir(), 'mv-witness-'));
    cleanup.push(() => rmSync(witnessDir, { recursive: true, force: true }));
    const v = await vaultWithEvents(4);
    v.session.setWitnessDir(witnessDir);
    v.session.close();
    // Rewrite history consistently: edit event 2, recompute every leaf and stored hash, drop the
    // local checkpoints (they would betray the edit). Only the witness still knows the old root.
    const db = await openRaw(v.dir);
    db.prepare('UPDATE audit_events SET json = replace(json, \'"outcome":"ok"\', \'"outcome":"error"\') WHERE seq = 2').run();
    const rows = db.prepare('SELECT seq, json FROM audit_events ORDER BY seq').all() as { seq: number; json: string }[];
    const store = new MemoryHashStore();
    db.prepare('DELETE FROM tree_hashes').run();
    db.prepare('DELETE FROM checkpoints').run();
    const insert = db.prepare('INSERT INTO tree_hashes (idx, hash) VALUES (?, ?)');
    for (const r of rows) {
      const leaf = hashLeaf(Buffer.from(r.json, 'utf8'));
      db.prepare('UPDATE audit_events SET leaf_hash = ? WHERE seq = ?').run(Buffer.from(leaf), r.seq);
      const hashes = storedHashesForRecordHash(r.seq, leaf, store);
      store.appendLeafHash(leaf);
      hashes.forEach((h, i) => insert.run(storedHashIndex(0, r.seq) + i, Buffer.from(h)));
    }
    db.close();
    await expect(reopen(v.dir)).rejects.toMatchObject({ code: 'INTEGRITY_FAILURE', message: expect.stringMatching(/Fork detected/) });
  });
});
