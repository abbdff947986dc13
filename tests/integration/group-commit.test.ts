import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { newVault } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

describe('group commit', () => {
  it('concurrent stores and recalls all succeed, each with exactly one audit leaf, in a consistent sequence', async () => {
    const v = await newVault();
    cleanup = () => {
      v.session.close();
      v.remove();
    };
    const e = v.session.engine;
    const stored = await Promise.all(
      Array.from({ length: 300 }, (_, i) => e.store({ content: `memory ${i}`, level: 1, title: `m${i}` }, owner)),
    );
    const recalled = await Promise.all(stored.map((m) => e.recall({ memoryId: m.id }, owner)));
    expect(recalled.map((r) => r.content.toString())).toEqual(stored.map((_, i) => `memory ${i}`));
    const seqs = recalled.map((r) => r.auditSeq);
    expect(new Set(seqs).size).toBe(300);
    const records = v.session.repo.readAuditRecords(0, 10_000);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i));
    expect(records.filter((r) => r.kind === 'memory.store')).toHaveLength(300);
    expect(records.filter((r) => r.kind === 'memory.recall')).toHaveLength(300);
  });

  it('fails closed: if the audit append fails, the recall rejects and no plaintext is returned', async () => {
    const v = await newVault();
    cleanup = () => {
      v.session.close();
      v.remove();
    };
    const m = await v.session.engine.store({ content: 'FAIL-CLOSED-CANARY', level: 1, title: 't' }, owner);
    const repo = v.session.repo;
    const original = repo.appendAuditRecord.bind(repo);
    repo.appendAuditRecord = () => {
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    };
    let caught: unknown;
    const result = await v.session.engine.recall({ memoryId: m.id }, owner).catch((err: unknown) => {
      caught = err;
      return null;
    });
    expect(result).toBeNull();
    expect((caught as { code: string }).code).toBe('AUDIT_FAILURE');
    expect(JSON.stringify(caught)).not.toContain('FAIL-CLOSED-CANARY');
    repo.appendAuditRecord = original;
    expect((await v.session.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe('FAIL-CLOSED-CANARY');
  });
});
