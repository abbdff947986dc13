// The crash harness's checks must be able to fail: a state change written without its leaf, and
// acknowledgements the vault has no trace of, are each reported; a vault whose changes all went
// through the audited paths gives no finding.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as age from 'age-encryption';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryId } from '../../../src/core/model/memory.js';
import { shortIdOf } from '../../../src/core/model/memory.js';
import type { Requester } from '../../../src/core/model/requester.js';
import { armDeadman, checkInDeadman, readDeadmanState } from '../../../src/node/deadman/deadman.service.js';
import { fakeHardwareKey } from '../fake-hardware-key.js';
import { newVault, passphrase } from '../vault-fixture.js';
import {
  checkApprovals,
  checkDeadman,
  checkMemories,
  checkRotations,
  crashFindings,
  currentKeyFingerprint,
  readLeaves,
} from './crash-checks.js';
import { emptyJournal } from './crash-journal.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

async function armedVault() {
  const v = await newVault();
  cleanup = () => {
    v.session.close();
    v.remove();
  };
  const s = v.session;
  const kept = await s.engine.store({ content: 'kept', level: 1, title: 'kept' }, owner);
  const doomed = await s.engine.store({ content: 'doomed', level: 1, title: 'doomed' }, owner);
  const recipient = await age.identityToRecipient(await age.generateX25519Identity());
  await armDeadman(s, {
    intervalMs: 30 * 24 * 3_600_000,
    graceMs: 0,
    releaseDir: join(v.dir, '..', 'release'),
    heirs: [{ name: 'heir', recipient }],
    memoryIds: [kept.id],
    port: fakeHardwareKey(),
  });
  return { s, kept, doomed };
}

describe('crash harness checks', () => {
  it('a vault changed only through the audited paths, with its acks, gives no finding', async () => {
    const { s, kept, doomed } = await armedVault();
    await s.engine.tombstone({ memoryId: doomed.id, confirmShortId: shortIdOf(doomed.id) }, s.ownerProof());
    const { deadline } = await checkInDeadman(s);
    const journal = emptyJournal();
    journal.stores.push({ id: kept.id, content: 'kept' });
    journal.ownerStores.push({ id: doomed.id, content: 'doomed' });
    journal.tombstones.push(doomed.id);
    journal.checkIns.push(deadline);
    expect(crashFindings(s, journal, { deadman: true })).toEqual([]);
  });

  it('a dead-man check-in written without its leaf is a finding', async () => {
    const { s } = await armedVault();
    const state = readDeadmanState(s);
    if (!state) throw new Error('not armed');
    s.repo.setState('deadman', JSON.stringify({ ...state, lastCheckIn: state.lastCheckIn + 1_000 }));
    expect(checkDeadman(s, readLeaves(s), emptyJournal())).toEqual([expect.stringMatching(/state and leaf disagree/)]);
  });

  it('a tombstone written without its leaf is a finding', async () => {
    const { s, doomed } = await armedVault();
    s.repo.tombstone(doomed.id as MemoryId, Date.now());
    expect(checkMemories(s, readLeaves(s), emptyJournal())).toEqual([`memory ${doomed.id} is tombstoned with 0 memory.tombstone leaves`]);
  });

  it('acknowledged operations the vault has no trace of are findings, one each', async () => {
    const { s, kept } = await armedVault();
    const journal = emptyJournal();
    const ghost = randomUUID();
    journal.stores.push({ id: ghost, content: 'never stored' });
    journal.tombstones.push(kept.id);
    journal.checkIns.push(Date.now() + 40 * 24 * 3_600_000);
    journal.approvals.push(
      { requestId: randomUUID(), memoryId: kept.id, approved: true },
      { requestId: randomUUID(), memoryId: kept.id, approved: false },
    );
    journal.grantUses.push(kept.id);
    const leaves = readLeaves(s);
    const findings = [...checkMemories(s, leaves, journal), ...checkApprovals(leaves, journal), ...checkDeadman(s, leaves, journal)];
    expect(findings).toEqual([
      `acknowledged store ${ghost} has no memory row`,
      `acknowledged store ${ghost} has no memory.store leaf`,
      `acknowledged tombstone ${kept.id}: memory is not tombstoned`,
      `acknowledged tombstone ${kept.id} has no memory.tombstone leaf`,
      expect.stringMatching(/^acknowledged approval of request .* has no approval.granted leaf/),
      expect.stringMatching(/^acknowledged denial of request .* has no approval.denied leaf/),
      `memory ${kept.id}: 1 approved recalls acknowledged, 0 owner-approved memory.recall leaves`,
      `memory ${kept.id}: 1 denials acknowledged, 0 refused (APPROVAL_DENIED) memory.recall leaves`,
      `memory ${kept.id}: 1 grant uses acknowledged, 0 memory.recall leaves approved via a grant`,
      expect.stringMatching(/^acknowledged check-in .* has no deadman.checkin leaf/),
      expect.stringMatching(/^acknowledged check-in .* is not in the dead-man state/),
    ]);
  });

  it('a vault under another key than its last key.rotation leaf names, or an acked rotation without a leaf, is a finding', async () => {
    const { s } = await armedVault();
    const current = await currentKeyFingerprint(s, passphrase);
    const journal = emptyJournal();
    expect(checkRotations(readLeaves(s), journal, { initial: current, current })).toEqual([]);
    journal.rotations.push({ rotationId: 'r-1', to: 'ffff' });
    expect(checkRotations(readLeaves(s), journal, { initial: 'eeee', current })).toEqual([
      'acknowledged key rotation r-1 has no key.rotation leaf',
      `the vault opens with key ${current} but the log's rotations (none) leave it at eeee`,
    ]);
  });
});
