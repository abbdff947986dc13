// The unlock-time checks every owner session runs, registered here (a composition root) so the
// vault opener imports none of the features behind them.
// Order matters and is the order they ran in before the split: the witness is checked before
// anything is appended; then the TTL purge; then the dead-man switch (which may release).
import { deadmanUnlockHook } from '../deadman/deadman-runner.js';
import type { UnlockHook } from '../vault/unlock-hook.js';
import { restoreWitness } from '../vault/witness-setting.js';

/** A witness that disagrees with the log fails the unlock as an integrity failure. */
export const witnessUnlockHook: UnlockHook = {
  name: 'directory witness',
  phase: 'verify',
  run(session) {
    restoreWitness(session.engine, session.ports.state);
  },
};

/** Expired level-0 memories are removed on every unlock (and counted for `status`). */
export const purgeUnlockHook: UnlockHook = {
  name: 'ttl purge',
  phase: 'ready',
  async run(session) {
    session.purgedAtUnlock = (await session.engine.purgeExpired()).purged;
  },
};

export const STANDARD_UNLOCK_HOOKS: readonly UnlockHook[] = Object.freeze([witnessUnlockHook, purgeUnlockHook, deadmanUnlockHook]);
