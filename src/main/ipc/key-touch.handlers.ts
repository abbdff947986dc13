// The window's answers to the level-5 security-key step: PIN, Cancel, Retry, Close.
import { keyTouchContracts } from '../../shared/key-touch.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function keyTouchHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  const touch = backend.keyTouch;
  return [
    handle(policy, keyTouchContracts.current, () => touch.current()),
    handle(policy, keyTouchContracts.cancel, ({ attemptId }) => touch.cancel(attemptId)),
    handle(policy, keyTouchContracts.submitPin, ({ attemptId, pin }) => touch.submitPin(attemptId, pin)),
    handle(policy, keyTouchContracts.retry, ({ attemptId }) => touch.retry(attemptId)),
    handle(policy, keyTouchContracts.dismiss, ({ attemptId }) => touch.dismiss(attemptId)),
  ];
}
