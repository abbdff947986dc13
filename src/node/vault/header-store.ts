// The open session's copy of vault.json. Invariant: the in-memory header changes only after the
// file was rewritten (atomically), so what the session reads is what the next unlock reads.
import type { HeaderStore } from './session-ports.js';
import { writeVaultHeader, type ProfileRecord, type VaultHeader } from './vault-header.js';
import type { VaultPaths } from './vault-paths.js';

export class FileHeaderStore implements HeaderStore {
  constructor(
    readonly paths: VaultPaths,
    private current: VaultHeader,
    private currentProfile: ProfileRecord,
  ) {}

  get header(): VaultHeader {
    return this.current;
  }

  get profile(): ProfileRecord {
    return this.currentProfile;
  }

  update(change: (header: VaultHeader, profile: ProfileRecord) => ProfileRecord): void {
    const profile = change(this.current, this.currentProfile);
    const next: VaultHeader = { ...this.current, profiles: [profile, ...this.current.profiles.slice(1)] };
    writeVaultHeader(this.paths.header, next, { exclusive: false });
    this.current = next;
    this.currentProfile = profile;
  }
}
