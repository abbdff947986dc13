// IntentLog links: link / unlink / search by intent / intents of a memory, audited.
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { IntentLinks } from '../../src/node/integrations/intent-links.js';
import { newVault } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('IntentLog links', () => {
  it('round-trips links, counts the store-time intentRef, and audits link/unlink', async () => {
    const v = await newVault();
    cleanup = () => {
      v.session.close();
      v.remove();
    };
    const s = v.session;
    const links = new IntentLinks(s.database, s.engine);
    const a = await s.engine.store({ content: 'a', level: 1, title: 'A', intentRef: 'intent-1' }, owner);
    const b = await s.engine.store({ content: 'b', level: 3, title: 'B' }, owner);

    expect(await links.link(b.id, 'intent-1')).toEqual({ linked: true });
    expect(await links.link(b.id, 'intent-1')).toEqual({ linked: false });
    expect(await links.link(b.id, 'intent-2')).toEqual({ linked: true });
    expect(await links.link(a.id, 'intent-1')).toEqual({ linked: false }); // already its store-time ref

    expect(links.memoriesOf('intent-1').map((l) => [l.memoryId, l.source])).toEqual(
      expect.arrayContaining([
        [a.id, 'store'],
        [b.id, 'link'],
      ]),
    );
    expect(links.memoriesOf('intent-1')).toHaveLength(2);
    expect(
      links
        .intentsOf(b.id)
        .map((l) => l.intentRef)
        .sort(),
    ).toEqual(['intent-1', 'intent-2']);

    expect(await links.unlink(b.id, 'intent-1')).toEqual({ unlinked: true });
    expect(await links.unlink(b.id, 'intent-1')).toEqual({ unlinked: false });
    await expect(links.unlink(a.id, 'intent-1')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(links.memoriesOf('intent-1').map((l) => l.memoryId)).toEqual([a.id]);
    await expect(links.link('no-such-memory', 'intent-1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(links.link(a.id, 'has space')).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    const events = s.repo.readAuditRecords(0, 1000).map((r) => JSON.parse(r.json) as { kind: string; details?: Record<string, unknown> });
    const linkEvents = events.filter((e) => e.kind === 'intent.link' || e.kind === 'intent.unlink');
    expect(linkEvents.map((e) => e.kind)).toEqual(['intent.link', 'intent.link', 'intent.unlink']);
    // The reference itself is not in the log, only its hash.
    expect(JSON.stringify(linkEvents)).not.toContain('intent-2');
  });
});
