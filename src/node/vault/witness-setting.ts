// The directory witness the owner configured (vault_state `witness.dir`): set from `audit
// witness`, restored at every unlock before anything is appended (a witness that disagrees with
// the log fails the unlock as an integrity failure).
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import type { VaultRepository } from '../../core/ports/vault-repository.port.js';
import { DirectoryWitness } from '../witness/directory-witness.js';
import type { StateReader } from './session-ports.js';

export const WITNESS_DIR_STATE = 'witness.dir';

/** Configure (or clear) the directory witness; checks the log against it first. */
export function setWitnessDir(engine: VaultEngine, repo: VaultRepository, dir: string | null): void {
  const witness = dir === null ? null : new DirectoryWitness(dir);
  engine.auditLog.attachWitness(witness);
  repo.transaction(() => (dir === null ? repo.setState(WITNESS_DIR_STATE, '') : repo.setState(WITNESS_DIR_STATE, dir)), 'full');
  if (witness) engine.auditLog.checkpointer.checkpointSync();
}

/** Attach the saved witness, if any (throws INTEGRITY_FAILURE when the log and the witness disagree). */
export function restoreWitness(engine: VaultEngine, state: StateReader): void {
  const witnessDir = state.getState(WITNESS_DIR_STATE);
  if (witnessDir) engine.auditLog.attachWitness(new DirectoryWitness(witnessDir));
}
