// The owner's label edit (title, tags, metadata) over the in-memory repository: one `memory.edit`
// leaf naming the fields (never the values), search follows the new labels, the content and the
// level stay, and an unproven owner, a tombstoned memory or an empty edit change nothing.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isVaultError } from '../errors.js';
import { InMemoryVaultRepository } from '../testing/in-memory-vault-repository.js';
import { VaultEngine, type OwnerProof } from './vault-engine.js';

const proof: OwnerProof = { __ownerProof: true, channel: 'desktop' };
const owner = { kind: 'owner', channel: 'desktop' } as const;

let engine: VaultEngine;
let repo: InMemoryVaultRepository;
afterEach(() => engine.close());

function open(): void {
  repo = new InMemoryVaultRepository();
  engine = new VaultEngine({
    repo,
    vaultId: 'vault-test',
    profileId: 'p1',
    profileKey: randomBytes(32),
    clock: { now: () => Date.UTC(2030, 0, 1) },
    ownerProofs: { accepts: (p) => p === proof },
  });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'no error',
    (e: unknown) => (isVaultError(e) ? e.code : `not a VaultError: ${String(e)}`),
  );
}

describe('VaultEngine.editLabels', () => {
  it('changes title, tags and metadata with one leaf naming only the fields; search and content follow', async () => {
    open();
    const m = await engine.store(
      { content: 'rotate on fridays', level: 2, title: 'Old name', tags: ['ops'], metadata: { team: 'red' } },
      owner,
    );
    const before = repo.auditSize();
    const edited = await engine.editLabels({ memoryId: m.id, title: 'Rotation schedule', metadata: { team: 'blue', weekly: true } }, proof);
    expect(edited).toMatchObject({ title: 'Rotation schedule', tags: ['ops'], metadata: { team: 'blue', weekly: true }, level: 2 });
    expect(engine.describe(m.id)).toMatchObject({ title: 'Rotation schedule', metadata: { team: 'blue', weekly: true } });
    expect(repo.auditSize()).toBe(before + 1);
    const leaf = repo.readAuditRecords(before, 1)[0];
    expect(leaf?.kind).toBe('memory.edit');
    expect(JSON.parse(leaf?.json ?? '{}')).toMatchObject({ outcome: 'ok', details: { fields: ['title', 'metadata'] } });
    expect(leaf?.json).not.toMatch(/Rotation|Old name|blue|red/);

    expect((await engine.search({ query: 'blue' }, owner)).map((s) => s.id)).toEqual([m.id]);
    expect(await engine.search({ query: 'red' }, owner)).toEqual([]);
    // The content index of a level-2 memory survives the edit.
    expect((await engine.search({ query: 'fridays' }, owner)).map((s) => s.id)).toEqual([m.id]);
    expect((await engine.recall({ memoryId: m.id }, owner)).content.toString('utf8')).toBe('rotate on fridays');
  });

  it('an edit that changes nothing writes no leaf', async () => {
    open();
    const m = await engine.store({ content: 'x', level: 1, title: 'Same', tags: ['a'] }, owner);
    const before = repo.auditSize();
    await engine.editLabels({ memoryId: m.id, title: 'Same', tags: ['a'] }, proof);
    expect(repo.auditSize()).toBe(before);
  });

  it('refuses a forged owner proof, a tombstoned memory, an empty edit and a control character in a tag', async () => {
    open();
    const m = await engine.store({ content: 'x', level: 1, title: 'Target' }, owner);
    const before = repo.auditSize();
    expect(await codeOf(engine.editLabels({ memoryId: m.id, title: 'Hijacked' }, { __ownerProof: true, channel: 'desktop' }))).toBe(
      'UNAUTHORIZED',
    );
    expect(await codeOf(engine.editLabels({ memoryId: m.id }, proof))).toBe('INVALID_INPUT');
    expect(await codeOf(engine.editLabels({ memoryId: m.id, tags: ['bad\u0007tag'] }, proof))).toBe('INVALID_INPUT');
    expect(repo.auditSize()).toBe(before);
    expect(engine.describe(m.id).title).toBe('Target');
    await engine.tombstone({ memoryId: m.id, confirmShortId: m.shortId }, proof);
    expect(await codeOf(engine.editLabels({ memoryId: m.id, title: 'After' }, proof))).toBe('TOMBSTONED');
  });
});
