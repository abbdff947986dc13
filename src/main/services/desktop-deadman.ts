// The dead-man switch from the desktop window, over the same service as `memory-vault deadman …`
// (deadman.service.ts: every state change commits with its deadman.* leaf; arming and disarming
// need a touch of a registered key through the session's level-5 port). The packaged memories
// are recalled as the owner on the desktop channel, so each is gated and audited like a reveal.
import { armDeadman, checkInDeadman, deadmanStatus, disarmDeadman } from '../../node/deadman/deadman.service.js';
import type { ArmDeadmanRequest, DeadmanStatusDto } from '../../shared/deadman.contract.js';
import type { DesktopBackend } from './desktop-backend.service.js';

const SURFACE = 'desktop' as const;

export class DesktopDeadman {
  constructor(private readonly backend: Pick<DesktopBackend, 'currentSession' | 'withOwnerCredentials'>) {}

  status(): DeadmanStatusDto {
    return deadmanStatus(this.backend.currentSession());
  }

  arm(input: ArmDeadmanRequest): Promise<DeadmanStatusDto> {
    const session = this.backend.currentSession();
    const options = {
      intervalMs: input.intervalMs,
      graceMs: input.graceMs,
      releaseDir: input.releaseDir,
      heirs: input.heirs,
      memoryIds: input.memoryIds,
      surface: SURFACE,
    };
    if (!input.recoveryKey) return armDeadman(session, options);
    // The credential opens the profile key the recovery slot wraps; it is wiped after use.
    return this.backend.withOwnerCredentials(input.recoveryKey.credential, 'deadman', (credentials) =>
      armDeadman(session, { ...options, includeRecoveryKey: true, credentials }),
    );
  }

  async checkIn(): Promise<DeadmanStatusDto> {
    const session = this.backend.currentSession();
    await checkInDeadman(session, SURFACE);
    return deadmanStatus(session);
  }

  async disarm(): Promise<DeadmanStatusDto> {
    const session = this.backend.currentSession();
    await disarmDeadman(session, undefined, SURFACE);
    return deadmanStatus(session);
  }
}
