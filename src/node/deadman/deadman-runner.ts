// When the dead-man switch is checked: on every unlock and, while a session stays open
// (`serve`, the desktop app), on a timer. A failing release never blocks the owner's unlock;
// it is audited and retried at the next check.
import { VaultError } from '../../core/errors.js';
import type { UnlockHook } from '../vault/unlock-hook.js';
import type { VaultSession } from '../vault/vault-session.js';
import { deadmanStatus, releaseIfDue } from './deadman.service.js';

export const DEADMAN_CHECK_MS = 60_000;

export async function checkDeadmanSwitch(session: VaultSession, warn?: (message: string) => void): Promise<void> {
  try {
    const r = await releaseIfDue(session);
    if (r.released) warn?.(`Dead-man switch: the deadline passed without a check-in; ${r.files.length} heir package(s) were released.`);
    else for (const w of deadmanStatus(session).warnings) warn?.(w);
  } catch (e) {
    const code = e instanceof VaultError ? e.code : 'INTERNAL';
    await session.engine
      .recordEvent({
        kind: 'deadman.release',
        actor: { type: 'system', id: 'deadman-switch' },
        outcome: 'error',
        code,
        reason: 'The release could not be completed; it is retried at the next check.',
      })
      .catch(() => undefined);
    warn?.(`Dead-man switch: the release failed (${code}); it is retried at the next check.`);
  }
}

export function startDeadmanTimer(session: VaultSession, warn?: (message: string) => void, everyMs = DEADMAN_CHECK_MS): void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void checkDeadmanSwitch(session, warn).finally(() => {
      running = false;
    });
  }, everyMs);
  timer.unref();
  session.onClose(() => clearInterval(timer));
}

/** Registered by the composition roots: checked at every unlock, then on a timer while the session stays open. */
export const deadmanUnlockHook: UnlockHook = {
  name: 'dead-man switch',
  phase: 'ready',
  async run(session, ctx) {
    await checkDeadmanSwitch(session, ctx.warn);
    startDeadmanTimer(session, ctx.warn);
  },
};
