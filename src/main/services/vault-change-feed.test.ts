import { describe, expect, it } from 'vitest';
import { manualTimers } from '../../../tests/support/manual-timers.js';
import type { VaultTopic } from '../../shared/live.contract.js';
import { topicsOf, VaultChangeFeed } from './vault-change-feed.js';

describe('topicsOf', () => {
  it('marks every kind as an audit change and adds the views each kind touches', () => {
    expect([...topicsOf(['memory.store'])].sort()).toEqual(['audit', 'memories']);
    expect([...topicsOf(['memory.list', 'memory.search'])]).toEqual(['audit']);
    expect([...topicsOf(['lockdown.on'])].sort()).toEqual(['approvals', 'audit', 'grants', 'lockdown']);
    expect([...topicsOf(['agent.create', 'integrity.failure'])].sort()).toEqual(['agents', 'audit', 'integrity']);
  });
});

describe('VaultChangeFeed', () => {
  it('pushes the first change at once and coalesces a burst into one later push', () => {
    const timers = manualTimers();
    const feed = new VaultChangeFeed(timers, 150);
    const pushes: VaultTopic[][] = [];
    feed.subscribe((t) => pushes.push(t.sort()));
    feed.noteKinds(['memory.store']);
    expect(pushes).toEqual([['audit', 'memories']]);
    feed.noteKinds(['memory.store']);
    feed.noteKinds(['agent.create']);
    timers.advance(100);
    expect(pushes).toHaveLength(1);
    timers.advance(50);
    expect(pushes).toEqual([
      ['audit', 'memories'],
      ['agents', 'audit', 'memories'],
    ]);
    expect(timers.waiting()).toBe(0);
  });

  it('pushes immediately again after a quiet spell', () => {
    const timers = manualTimers();
    const feed = new VaultChangeFeed(timers, 150);
    const pushes: VaultTopic[][] = [];
    feed.subscribe((t) => pushes.push(t));
    feed.note(['agents']);
    timers.advance(1_000);
    feed.note(['lockdown']);
    expect(pushes).toEqual([['agents'], ['lockdown']]);
  });

  it('drops what waits on reset and stops pushing to an unsubscribed listener', () => {
    const timers = manualTimers();
    const feed = new VaultChangeFeed(timers, 150);
    const pushes: VaultTopic[][] = [];
    const off = feed.subscribe((t) => pushes.push(t));
    feed.note(['agents']);
    feed.note(['memories']);
    feed.reset();
    timers.advance(500);
    expect(pushes).toEqual([['agents']]);
    off();
    feed.note(['memories']);
    expect(pushes).toEqual([['agents']]);
  });
});
