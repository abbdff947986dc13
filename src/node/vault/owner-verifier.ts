// The owner verifier: re-checks the owner's credentials against the open vault's header, and is
// the only code that can mint an `OwnerProof`.
// Invariant: a proof is accepted only if this verifier issued it — every proof it mints is a
// frozen object remembered in a module-private WeakSet, so an object literal or a structural copy
// (`{ __ownerProof: true, channel }`) made anywhere else is refused where it is used (the engine
// asks `accepts`). A wrong credential counts towards the "repeated bad credentials" lockdown rule.
import { zeroize } from '../../core/crypto/keys.js';
import type { OwnerProof } from '../../core/engine/vault-engine.js';
import { unwrapProfileKey } from '../../core/keys/profile-keys.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import { isBadCredentialError, recordBadCredential, wrappingKeyFor, type Credentials, type TpmAccess } from './credentials.js';
import type { HeaderStore, OwnerVerifierPort } from './session-ports.js';

export interface OwnerVerifierDeps {
  readonly headers: HeaderStore;
  readonly tpm: TpmAccess;
  /** The channel the owner unlocked this session on (the default for new proofs). */
  readonly unlockChannel: OwnerChannel;
  /** After a wrong credential was counted: the lockdown rule may trip. */
  readonly onBadCredential: () => Promise<void>;
}

export class OwnerVerifier implements OwnerVerifierPort {
  /** Proofs this verifier issued; nothing else can add to it. */
  readonly #issued = new WeakSet<object>();

  constructor(private readonly deps: OwnerVerifierDeps) {}

  /** The owner presented valid credentials to open this session (CLI commands run right after unlock). */
  unlockProof(): OwnerProof {
    return this.#mint(this.deps.unlockChannel);
  }

  /**
   * The owner socket's OPAQUE login proved the owner's credential on this connection: that is
   * the full unlock lifting lockdown needs. Call only after that login succeeded.
   */
  loginProof(channel: OwnerChannel): OwnerProof {
    return this.#mint(channel);
  }

  async verify(credentials: Credentials, channel: OwnerChannel = this.deps.unlockChannel): Promise<OwnerProof> {
    const keys = await this.openKeys(credentials);
    zeroize(keys.wrappingKey, keys.profileKey);
    return this.#mint(channel);
  }

  async openKeys(credentials: Credentials): Promise<{ wrappingKey: Buffer; profileKey: Buffer }> {
    const { header, profile } = this.deps.headers;
    let wk: Buffer | undefined;
    try {
      wk = await wrappingKeyFor(profile.source, credentials, this.deps.tpm);
      return { wrappingKey: wk, profileKey: unwrapProfileKey(wk, profile.wrappedProfileKey, header.vaultId, profile.id) };
    } catch (e) {
      zeroize(wk);
      if (isBadCredentialError(e)) await this.recordFailedLogin();
      throw e;
    }
  }

  /** A login on a running server's owner socket did not finish: counts like a wrong credential. */
  async recordFailedLogin(): Promise<void> {
    recordBadCredential(this.deps.headers.paths.dir);
    await this.deps.onBadCredential();
  }

  /** Whether `proof` is one this verifier issued (identity, not shape). */
  accepts(proof: unknown): boolean {
    return typeof proof === 'object' && proof !== null && this.#issued.has(proof);
  }

  #mint(channel: OwnerChannel): OwnerProof {
    const proof: OwnerProof = Object.freeze({ __ownerProof: true as const, channel });
    this.#issued.add(proof);
    return proof;
  }
}
