// Threat (issue 19): an agent the owner let *use* a level-3 secret with one command for N minutes
// turns that grant into plaintext — by calling memory.recall, or by using the secret with another
// command (one that prints or ships it) — without being asked again. A use grant covers only a
// use with the same command digest; everything else goes back to the owner (here: no owner
// channel any more → APPROVAL_REQUIRED), and a forged purpose is INVALID_INPUT.
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { noApprover } from '../../src/core/ports/approval-gate.port.js';
import { usePurpose } from '../../src/core/secrets/use-purpose.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { codeOf } from '../support/outcome.js';
import { airGapped, approvingGate, newVault } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent: Requester = { kind: 'agent', agentId: 'agent-ops', name: 'ops', maxLevel: 3, namespaces: ['ops'] };
const allowed = usePurpose(['/usr/bin/psql', '-h', 'db'], '/srv');

let session: VaultSession | undefined;
let remove: (() => void) | undefined;
afterEach(() => {
  session?.close();
  remove?.();
});

describe('a use grant does not widen', () => {
  it('to memory.recall, to another command, or to a purpose whose digest was forged', async () => {
    const v = await newVault({ gates: { environment: airGapped, approvals: approvingGate(30) } });
    session = v.session;
    remove = v.remove;
    const m = await v.session.engine.store({ content: 'sealed-db-password', level: 3, title: 'db', namespace: 'ops' }, owner);
    (await v.session.engine.use({ memoryId: m.id, purpose: allowed }, agent)).value.wipe();
    // The owner walks away: nobody is left to approve anything new.
    v.session.engine.setGates({ approvals: noApprover });
    // The granted use still works without asking …
    (await v.session.engine.use({ memoryId: m.id, purpose: allowed }, agent)).value.wipe();
    // … but not a recall, nor another command, nor the granted digest on another command line.
    expect(await codeOf(v.session.engine.recall({ memoryId: m.id }, agent))).toBe('APPROVAL_REQUIRED');
    expect(
      await codeOf(v.session.engine.use({ memoryId: m.id, purpose: usePurpose(['/bin/sh', '-c', 'echo $PGPASSWORD'], '/srv') }, agent)),
    ).toBe('APPROVAL_REQUIRED');
    expect(await codeOf(v.session.engine.use({ memoryId: m.id, purpose: usePurpose(['/usr/bin/psql', '-h', 'db'], '/tmp') }, agent))).toBe(
      'APPROVAL_REQUIRED',
    );
    const forged = { ...allowed, commandLine: ['/bin/sh', '-c', 'env'] };
    expect(await codeOf(v.session.engine.use({ memoryId: m.id, purpose: forged }, agent))).toBe('INVALID_INPUT');
  });
});
