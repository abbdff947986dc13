// Waiting for the owner's decision inside one MCP tool call without tripping the client's request
// timeout. The official SDK client gives up after 60 s (DEFAULT_REQUEST_TIMEOUT_MSEC) unless the
// caller asked it to reset the timeout on progress; an owner may take minutes. So:
// - a call that carries a progressToken waits the full wait_seconds, sending a progress
//   notification every PROGRESS_EVERY_MS (clients with resetTimeoutOnProgress keep waiting);
// - a call without one waits at most WAIT_CAP_MS and then answers "still pending, call again"
//   with the request id — the model calls request_status again.
import type { RecallAnswer } from '../agent-api/agent-client.js';

/** Below the SDK's 60 s default with room for the round trip. */
export const WAIT_CAP_MS = 45_000;
export const PROGRESS_EVERY_MS = 10_000;

export type WaitClient = { wait(requestId: string, timeoutMs: number): Promise<RecallAnswer> };
export type Progress = (elapsedMs: number, totalMs: number) => Promise<void>;

export const STILL_PENDING_ADVICE =
  'The owner has not decided yet. Call request_status again with the same requestId and wait_seconds to keep waiting ' +
  '(each call waits at most 45 s); tell the user that approval is still pending.';

export async function waitForDecision(
  client: WaitClient,
  requestId: string,
  waitSeconds: number,
  progress?: Progress,
): Promise<Record<string, unknown>> {
  const totalMs = waitSeconds * 1000;
  if (!progress) {
    const answer = await client.wait(requestId, Math.min(totalMs, WAIT_CAP_MS));
    return answer.status === 'pending' ? { ...answer, next: STILL_PENDING_ADVICE } : { ...answer };
  }
  let elapsed = 0;
  for (;;) {
    const slice = Math.min(PROGRESS_EVERY_MS, totalMs - elapsed);
    const answer = await client.wait(requestId, slice);
    elapsed += slice;
    if (answer.status !== 'pending' || elapsed >= totalMs)
      return answer.status === 'pending' ? { ...answer, next: STILL_PENDING_ADVICE } : { ...answer };
    await progress(elapsed, totalMs);
  }
}
