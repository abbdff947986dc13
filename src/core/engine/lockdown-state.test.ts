import { describe, expect, it } from 'vitest';
import { InMemoryVaultRepository } from '../testing/in-memory-vault-repository.js';
import { readLockdown, writeLockdown } from './lockdown.js';

// The stored lockdown is parsed when read back, and fails closed: a damaged row that still says
// `on: true` keeps the vault in lockdown.
describe('readLockdown: the stored state parsed, not cast', () => {
  it('round-trips a written lockdown', () => {
    const repo = new InMemoryVaultRepository();
    writeLockdown(repo, { on: true, since: 1_700_000_000_000, by: 'owner:cli', reason: 'drill' });
    expect(readLockdown(repo)).toEqual({ on: true, since: 1_700_000_000_000, by: 'owner:cli', reason: 'drill' });
  });

  it('on: true with damaged or missing fields stays on, the fields read as null', () => {
    const repo = new InMemoryVaultRepository();
    repo.setState('lockdown', JSON.stringify({ on: true, since: 'yesterday', by: 7 }));
    expect(readLockdown(repo)).toEqual({ on: true, since: null, by: null, reason: null });
  });

  it('anything but on: true is off', () => {
    const repo = new InMemoryVaultRepository();
    for (const raw of [{ on: 'true' }, { on: 1 }, [], null, { since: 1 }]) {
      repo.setState('lockdown', JSON.stringify(raw));
      expect(readLockdown(repo)).toEqual({ on: false, since: null, by: null, reason: null });
    }
  });
});
