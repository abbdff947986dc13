// Unlock-time checks are hooks the composition roots register (witness, purge, dead-man …), so
// the opener knows none of the features behind them and imports none of them.
// Invariant: `verify` hooks run before anything is appended — a throw there fails the unlock as
// an integrity failure (audited, lockdown, the session abandoned); `ready` hooks run after the
// vault.unlock leaf, in registration order, and a damaged page they meet fails the unlock too.
import type { VaultSession } from './vault-session.js';

export interface UnlockHookContext {
  /** Plain-words notices for the owner (the surface's onWarning). */
  readonly warn?: (message: string) => void;
}

export interface UnlockHook {
  /** For errors and tests: which check this is. */
  readonly name: string;
  readonly phase: 'verify' | 'ready';
  run(session: VaultSession, ctx: UnlockHookContext): void | Promise<void>;
}

export async function runUnlockHooks(
  phase: UnlockHook['phase'],
  hooks: readonly UnlockHook[],
  session: VaultSession,
  ctx: UnlockHookContext,
): Promise<void> {
  for (const hook of hooks) if (hook.phase === phase) await hook.run(session, ctx);
}
