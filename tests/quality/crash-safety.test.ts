// Crash safety: the server runs as a child process under mixed load and is SIGKILLed at random
// moments, many times. After every kill the vault opens, the audit log verifies, and every
// operation the client saw acknowledged is present. The mix (tests/support/crash): agent stores
// and recalls, level-3 recalls the child's owner gate approves (with and without a grant) or
// denies, grant uses, owner stores and tombstones, and dead-man check-ins. For every
// acknowledged operation its state change and its audit leaf must both be there; for every
// operation at all, both or neither. Every tenth round the child first rotates the vault's keys
// and is killed at a random step of the rotation.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as age from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { armDeadman } from '../../src/node/deadman/deadman.service.js';
import { unlockVault } from '../../src/node/composition/vault-sessions.js';
import { type VaultSession } from '../../src/node/vault/vault-session.js';
import { cliVault, type CliVault } from '../agent-api/cli-process.js';
import { checkDeadman, checkRotations, crashFindings, currentKeyFingerprint, readLeaves } from '../support/crash/crash-checks.js';
import { emptyJournal } from '../support/crash/crash-journal.js';
import { loadUntilKilled, type CrashMix } from '../support/crash/crash-round.js';
import { fakeHardwareKey } from '../support/fake-hardware-key.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 50);
const PASSPHRASE = 'correct horse battery staple';
const credentials = { kind: 'passphrase', passphrase: PASSPHRASE } as const;
const owner: Requester = { kind: 'owner', channel: 'cli' };
let v: CliVault;
let mix: CrashMix;
const journal = emptyJournal();
/** Dead-man findings per round, asserted in their own test so the other checks still run on all rounds. */
const deadmanFindings: { round: number; findings: string[] }[] = [];
let roundsChecked = 0;

let initialKey: string;

const open = (): Promise<VaultSession> => unlockVault({ dir: v.dir, credentials });

beforeAll(async () => {
  v = cliVault();
  const token = v.json<{ token: string }>(['agent', 'add', 'loader', '--max-level', '2']).token;
  const approverToken = v.json<{ token: string }>(['agent', 'add', 'asker', '--max-level', '3']).token;
  const passphraseFile = join(v.dir, '..', 'passphrase-for-child');
  writeFileSync(passphraseFile, PASSPHRASE, { mode: 0o600 });
  // Level-3 memories for the approval load, and a dead-man switch armed with a token touch (a
  // stand-in key, as tests/recovery/deadman.test.ts does): the child only checks in.
  const s = await open();
  let level3: string[];
  try {
    level3 = [];
    for (let i = 0; i < 3; i++)
      level3.push((await s.engine.store({ content: `level-3 secret ${i}`, level: 3, title: `l3-${i}` }, owner)).id);
    const forHeir = await s.engine.store({ content: 'for the heir', level: 1, title: 'heir note' }, owner);
    const recipient = await age.identityToRecipient(await age.generateX25519Identity());
    initialKey = await currentKeyFingerprint(s, credentials);
    await armDeadman(s, {
      intervalMs: 30 * 24 * 3_600_000,
      graceMs: 24 * 3_600_000,
      releaseDir: join(v.dir, '..', 'release'),
      heirs: [{ name: 'heir', recipient }],
      memoryIds: [forHeir.id],
      port: fakeHardwareKey(),
    });
  } finally {
    s.close();
  }
  mix = {
    vaultDir: v.dir,
    passphraseFile,
    storeToken: token,
    approvals: { token: approverToken, memoryIds: level3 },
    tombstones: true,
    checkIns: true,
    killAfterMs: { min: 30, spread: 300 },
    rotateEvery: 10,
  };
}, 60_000);
afterAll(() => v?.remove());

describe('crash safety under SIGKILL', () => {
  it(`survives ${KILLS} kills with every acknowledged store intact and the audit log verifying`, async () => {
    const ms = { start: 0, load: 0, check: 0 };
    const killedInRotation: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      const t = await loadUntilKilled(mix, journal, round);
      ms.start += t.startMs;
      ms.load += t.loadMs;
      if (t.killedInRotation) killedInRotation.push(t.killedInRotation);
      const checkFrom = performance.now();
      const session = await open();
      try {
        const verified = await session.engine.auditLog.verify();
        expect({ round, ok: verified.ok, damage: verified.damage }).toEqual({ round, ok: true, damage: null });
        for (const ack of journal.stores.slice(-40)) {
          const r = await session.engine.recall({ memoryId: ack.id }, owner);
          expect(r.content.toString()).toBe(ack.content);
        }
        // Approvals, grants, tombstones, stores: acknowledged ones complete, every one both-or-neither.
        const leaves = readLeaves(session);
        const keys = { initial: initialKey, current: await currentKeyFingerprint(session, credentials) };
        expect({
          round,
          findings: [...crashFindings(session, journal, { deadman: false, leaves }), ...checkRotations(leaves, journal, keys)],
        }).toEqual({ round, findings: [] });
        deadmanFindings.push({ round, findings: checkDeadman(session, leaves, journal) });
        roundsChecked++;
      } finally {
        session.close();
      }
      ms.check += performance.now() - checkFrom;
    }
    console.log(
      `crash-safety: per round on average ${(ms.start / KILLS).toFixed(0)} ms child start, ${(ms.load / KILLS).toFixed(0)} ms load until gone, ${(ms.check / KILLS).toFixed(0)} ms reopen and checks`,
    );
    // Every acknowledged store, from every round, once more at the end.
    const session = await open();
    try {
      for (const ack of journal.stores)
        expect((await session.engine.recall({ memoryId: ack.id }, owner)).content.toString()).toBe(ack.content);
    } finally {
      session.close();
    }
    expect(journal.stores.length).toBeGreaterThan(KILLS);
    const approved = journal.approvals.filter((a) => a.approved).length;
    const denied = journal.approvals.length - approved;
    console.log(
      `crash-safety: ${KILLS} SIGKILLs, ${journal.stores.length} acknowledged stores, all present; acknowledged and found with their leaves: ` +
        `${approved} approved and ${denied} denied level-3 recalls, ${journal.grantUses.length} grant uses, ${journal.tombstones.length} tombstones, ${journal.checkIns.length} dead-man check-ins, ${journal.rotations.length} key rotations (killed inside ${killedInRotation.length}: ${killedInRotation.join(', ') || 'none'})`,
    );
    // The mix really ran: over many rounds each kind of operation was acknowledged at least once.
    if (KILLS >= 20) {
      expect({
        approved: approved > 0,
        denied: denied > 0,
        grantUses: journal.grantUses.length > 0,
        tombstones: journal.tombstones.length > 0,
        checkIns: journal.checkIns.length > 0,
      }).toEqual({
        approved: true,
        denied: true,
        grantUses: true,
        tombstones: true,
        checkIns: true,
      });
    } else console.log(`crash-safety: coverage of each operation kind not asserted with only ${KILLS} kills (needs ≥ 20)`);
  }, 600_000);

  it('dead-man check-ins: after every kill the state and its deadman.checkin leaf are both there or neither, acknowledged ones both', () => {
    // Filled by the test above; without its rounds there is nothing to judge, which is a failure.
    expect(roundsChecked).toBe(KILLS);
    expect(deadmanFindings.filter((r) => r.findings.length > 0)).toEqual([]);
  });
});
