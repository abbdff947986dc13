// Live updates: main tells the window which parts of the vault changed, and the window re-reads
// them (issue 15: an agent's store must appear without a tab switch). The push names topics only,
// never data: the window fetches through its ordinary, checked verbs.
import { z } from 'zod';
import { eventContract } from './contract.js';

export const VAULT_TOPICS = [
  'memories',
  'audit',
  'agents',
  'approvals',
  'grants',
  'lockdown',
  'integrity',
  'settings',
  'security-keys',
  'recovery',
] as const;
export const vaultTopicSchema = z.enum(VAULT_TOPICS);
export type VaultTopic = z.infer<typeof vaultTopicSchema>;

/** Pushed by main, coalesced (at most one every LIVE_PUSH_INTERVAL_MS), after the changes committed. */
export const vaultChangedEvent = eventContract(
  'vault:did-change',
  z.object({ topics: z.array(vaultTopicSchema).min(1).max(VAULT_TOPICS.length) }).strict(),
);

/** Pushes are at most this far apart: a burst of agent stores costs the window one re-read. */
export const LIVE_PUSH_INTERVAL_MS = 150;
