// The desktop main process starts the same owner socket when it unlocks: the passphrase typed into
// the window is the one the socket's OPAQUE registration was made from, so `memory-vault
// approvals` logs in against the desktop, and a wrong one does not.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isVaultError } from '../../src/core/errors.js';
import { OwnerClient } from '../../src/node/agent-api/owner-client.js';
import { OWNER_SOCKET } from '../../src/node/agent-api/vault-server.js';
import { harness, type Harness } from '../ipc/ipc-fixture.js';
import { codeOf } from './agent-fixture.js';

const PASS = 'desktop passphrase for the owner socket';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Log in; the wrong guess just before may leave a short server-wide backoff: wait it out once. */
async function loginAfterBackoff(path: string): Promise<OwnerClient> {
  for (let attempt = 0; ; attempt++) {
    const c = await OwnerClient.tryConnect(path);
    if (!c) throw new Error('no owner socket');
    try {
      await c.login(PASS);
      return c;
    } catch (e) {
      c.close();
      const retry = isVaultError(e) && e.code === 'RATE_LIMITED' ? Number(e.details['retryAfterMs']) : NaN;
      if (attempt > 0 || !Number.isFinite(retry)) throw e;
      await new Promise((r) => setTimeout(r, retry + 10));
    }
  }
}

describe('owner socket of the desktop backend', () => {
  it('accepts an OPAQUE login with the passphrase the window unlocked with, after create and after unlock', async () => {
    h = harness({}, { agentServer: true });
    await h.backend.create(PASS);
    const path = join(h.dir, OWNER_SOCKET);
    for (const round of ['created', 'unlocked']) {
      const wrong = await OwnerClient.tryConnect(path);
      if (!wrong) throw new Error(`no owner socket (${round})`);
      expect(await codeOf(wrong.login('not the desktop passphrase'))).toBe('SERVER_UNTRUSTED');
      const c = await loginAfterBackoff(path);
      expect(await c.call<unknown[]>('approvals.list')).toEqual([]);
      c.close();
      await h.backend.lock();
      if (round === 'created') await h.backend.unlock(PASS);
    }
  });
});
