// Shared helpers for tests/hardware: audit reading and error capture. No mocks of our code.
import { isVaultError, type VaultError } from '../../src/core/errors.js';
import type { Requester } from '../../src/core/model/requester.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';

export const OWNER: Requester = { kind: 'owner', channel: 'cli' };

export interface AuditView {
  readonly seq: number;
  readonly kind: string;
  readonly outcome: string;
  readonly code?: string;
  readonly reason?: string;
  readonly memory?: { id: string; level: number };
  readonly details?: Record<string, unknown>;
}

export function auditEvents(session: VaultSession, kind?: string): AuditView[] {
  return session.engine.auditLog.list({ ...(kind ? { kind } : {}), limit: 10_000 }).map((r) => JSON.parse(r.json) as AuditView);
}

export async function rejection(p: Promise<unknown>): Promise<VaultError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isVaultError(e)) throw new Error(`expected a VaultError, got ${e === undefined ? 'success' : String(e)}`);
  return e;
}

export function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
