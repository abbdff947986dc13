import { describe, expect, it } from 'vitest';
import type { AuditEventKind } from '../common/audit-event-kinds.js';
import { AuditAppendFeed } from './audit-append-feed.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('AuditAppendFeed', () => {
  it('delivers the kinds appended in one synchronous flush as one batch, after the flush', async () => {
    const feed = new AuditAppendFeed();
    const heard: AuditEventKind[][] = [];
    feed.subscribe((kinds) => heard.push([...kinds]));
    feed.note('memory.store');
    feed.note('memory.store');
    feed.note('agent.create');
    expect(heard).toEqual([]);
    await tick();
    expect(heard).toEqual([['memory.store', 'agent.create']]);
    feed.note('lockdown.on');
    await tick();
    expect(heard).toEqual([['memory.store', 'agent.create'], ['lockdown.on']]);
  });

  it('keeps delivering to the others when a listener throws, and stops after unsubscribe', async () => {
    const feed = new AuditAppendFeed();
    const heard: string[] = [];
    feed.subscribe(() => {
      throw new Error('view gone');
    });
    const off = feed.subscribe((kinds) => heard.push(...kinds));
    feed.note('memory.tombstone');
    await tick();
    off();
    feed.note('memory.store');
    await tick();
    expect(heard).toEqual(['memory.tombstone']);
  });
});
