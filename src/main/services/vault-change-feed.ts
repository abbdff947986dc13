// Turns the engine's "these audit kinds were appended" into the window's "these topics changed",
// coalesced: the first change after a quiet spell is pushed at once, later ones wait until
// LIVE_PUSH_INTERVAL_MS has passed since the last push, so a burst of agent stores costs the
// window one re-read. Plain Node (timers injected), so it is tested without Electron.
import type { AuditEventKind } from '../../core/common/audit-event-kinds.js';
import { LIVE_PUSH_INTERVAL_MS, type VaultTopic } from '../../shared/live.contract.js';
import { realTimers, type Timers } from './timers.js';

/** Topics each kind touches besides 'audit' (every leaf is an audit change). Unlisted kinds: audit only. */
const TOPICS_OF_KIND: Partial<Record<AuditEventKind, readonly VaultTopic[]>> = {
  'memory.store': ['memories'],
  'memory.tombstone': ['memories', 'grants'],
  'memory.purge': ['memories'],
  'memory.edit': ['memories'],
  'intent.link': ['memories'],
  'intent.unlink': ['memories'],
  'approval.requested': ['approvals'],
  'approval.granted': ['approvals', 'grants'],
  'approval.denied': ['approvals'],
  'approval.expired': ['approvals'],
  'approval.cancelled': ['approvals'],
  'grant.revoke': ['grants'],
  'lockdown.on': ['lockdown', 'approvals', 'grants'],
  'lockdown.off': ['lockdown'],
  'lockdown.rules': ['lockdown'],
  'integrity.failure': ['integrity'],
  'agent.create': ['agents'],
  'agent.revoke': ['agents', 'grants'],
  'agent.suspend': ['agents'],
  'agent.resume': ['agents'],
  'command.allow': ['agents'],
  'command.disallow': ['agents'],
  'settings.change': ['settings'],
  'profile.change': ['security-keys'],
  'key.rotation': ['security-keys', 'recovery'],
  'backup.create': ['recovery'],
  'backup.restore': ['recovery', 'memories'],
  'escrow.create': ['recovery'],
  'escrow.delete': ['recovery'],
  'escrow.recover': ['recovery'],
  'deadman.arm': ['recovery'],
  'deadman.checkin': ['recovery', 'security-keys'],
  'deadman.disarm': ['recovery'],
  'deadman.release': ['recovery'],
};

export function topicsOf(kinds: Iterable<AuditEventKind>): Set<VaultTopic> {
  const topics = new Set<VaultTopic>(['audit']);
  for (const k of kinds) for (const t of TOPICS_OF_KIND[k] ?? []) topics.add(t);
  return topics;
}

export type VaultChangeListener = (topics: VaultTopic[]) => void;

export class VaultChangeFeed {
  private readonly listeners = new Set<VaultChangeListener>();
  private pending = new Set<VaultTopic>();
  private lastPush = Number.NEGATIVE_INFINITY;
  private cancelTimer: (() => void) | null = null;

  constructor(
    private readonly timers: Timers = realTimers,
    private readonly intervalMs = LIVE_PUSH_INTERVAL_MS,
  ) {}

  /** Kinds of audit leaf just appended (AuditAppendFeed batch). */
  noteKinds(kinds: Iterable<AuditEventKind>): void {
    this.note(topicsOf(kinds));
  }

  note(topics: Iterable<VaultTopic>): void {
    for (const t of topics) this.pending.add(t);
    if (this.pending.size === 0 || this.cancelTimer) return;
    const wait = this.lastPush + this.intervalMs - this.timers.now();
    if (wait <= 0) this.flush();
    else this.cancelTimer = this.timers.schedule(() => this.flush(), wait);
  }

  subscribe(listener: VaultChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drop what is waiting (the vault locked: the window re-reads everything anyway). */
  reset(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.pending = new Set();
  }

  private flush(): void {
    this.cancelTimer = null;
    const topics = [...this.pending];
    this.pending = new Set();
    if (topics.length === 0) return;
    this.lastPush = this.timers.now();
    for (const l of this.listeners) l(topics);
  }
}
