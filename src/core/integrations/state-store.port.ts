// Integration settings live in the vault's own encrypted `vault_state` table, so an agent that can
// write files in the vault directory still cannot flip, say, the owner's air-gap assertion.
// SqliteVaultRepository satisfies this port.
import type { Durability } from '../ports/vault-repository.port.js';

export interface StateStore {
  getState(key: string): string | undefined;
  setState(key: string, value: string): void;
  transaction<T>(fn: () => T, durability: Durability): T;
}
