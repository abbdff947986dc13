// The desktop app's vault side, owned by the main process: one VaultSession at a time, built by
// the same owner-session composition as the CLI and `serve` (boundary gate, FIDO2 key, TPM,
// unlock checks), the ApprovalBroker registered as the engine's owner gate, and the events
// pushed to the window.
// Invariants: keys live only inside the session and are wiped on lock (session.close()); the
// renderer reaches approve/deny only through `decide`; level ≥ 3 content is revealed only after
// the vault's own credential (passphrase, keyfile or TPM PIN) is presented again; plaintext buffers are zeroed once copied into the reply; an
// agent token is returned once, by createAgent, and kept nowhere in this process.
import { existsSync, writeFileSync } from 'node:fs';
import { ApprovalBroker, type ApprovalView } from '../../core/approvals/approval-broker.js';
import { parseMemoryId } from '../../core/common/ids.schema.js';
import { zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import type { Level } from '../../core/levels.js';
import { systemClock, type Clock } from '../../core/ports/clock.port.js';
import { AgentRegistry } from '../../node/agent-api/agent-registry.js';
import type { Credentials } from '../../node/vault/credentials.js';
import { vaultPaths } from '../../node/vault/vault-paths.js';
import { composeNewOwnerVault, composeOwnerSession, type OwnerSurface } from '../../node/composition/compose-owner-session.js';
import type { HardwareKeyBindingOptions } from '../../node/hardware/vault-hardware-key.js';
import type { BoundaryDeps } from '../../node/integrations/vault-boundary-gate.js';
import type { SessionOptions, VaultSession } from '../../node/vault/vault-session.js';
import type { AgentDto, CreatedAgentDto } from '../../shared/agents.contract.js';
import type { AuditFilterDto, AuditPageDto, AuditVerificationDto } from '../../shared/audit.contract.js';
import type { LockdownStateDto } from '../../shared/lockdown.contract.js';
import type { RevealedMemoryDto } from '../../shared/memories.contract.js';
import type { MemorySummaryDto } from '../../shared/memory.dto.js';
import { AUTO_LOCK_MINUTES, type DesktopSettingsDto, type SettingsViewDto } from '../../shared/settings.contract.js';
import type { GrantDto } from '../../shared/grants.contract.js';
import type { VaultStatusDto } from '../../shared/vault.contract.js';
import { readAuditPage, toRecordFilter, type AuditPageQuery } from './audit-page.js';
import { ClipboardGuard, type ClipboardGuardOptions } from './clipboard-guard.js';
import { toGrantDto } from './grant-dto.js';
import { VaultChangeFeed, type VaultChangeListener } from './vault-change-feed.js';
import { DesktopAgents, type CreateAgentArgs } from './desktop-agents.js';
import { DEFAULT_SETTINGS, readStoredSettings, readUnlockConfig, writeStoredSettings, writeUnlockConfig } from './desktop-settings.js';
import { desktopHardwareKey } from './desktop-hardware-key.js';
import { KeyTouchFlow, touchContextFor, type KeyTouchOptions } from './desktop-key-touch.js';
import type { FileChooser, FileRequest } from './desktop-files.js';
import type { OperationProgressDto } from '../../shared/progress.contract.js';
import { keySourceOf, withCredentials, type KeyfileChooser, type KeyfilePurpose, type OwnerSecret } from './desktop-credentials.js';

/** The agent socket server started for an unlocked session (src/node/agent-api startVaultServer). */
export interface AgentServerHandle {
  readonly broker: ApprovalBroker;
  /** The server's agent registry: tokens created from the window are the ones its socket accepts. */
  readonly registry?: AgentRegistry;
  close(): Promise<void>;
}
/** `ownerCredential`: what the vault was just unlocked with, for the owner socket's OPAQUE registration. */
export type StartAgentServer = (session: VaultSession, ownerCredential?: Credentials) => Promise<AgentServerHandle>;

/** Where an exported bundle goes: a save dialog in Electron, a fixed temp path in tests. null = cancelled. */
export type ExportDestination = (suggestedName: string) => Promise<string | null>;

export interface DesktopBackendOptions {
  readonly vaultDir: string;
  readonly chooseExportPath: ExportDestination;
  /** Where a keyfile vault's keyfile is: an open dialog in Electron, a fixed path in tests. */
  readonly chooseKeyfile?: KeyfileChooser;
  /** Argon2id cost for new vaults (tests use a cheap one; production keeps the core default). */
  readonly kdfCost?: { opsLimit: number; memLimitBytes: number };
  /** Engine settings and TPM access; the gates themselves come from the one owner-session composition. */
  readonly session?: Pick<SessionOptions, 'config' | 'clock' | 'tpm'>;
  readonly clock?: Clock;
  /** The level-5 gate's transport (default: real keys over node-hid; tests: the soft authenticator). */
  readonly hardwareKey?: HardwareKeyBindingOptions;
  /** Timing of the window's security-key step (touch deadline, retry window). */
  readonly keyTouch?: KeyTouchOptions;
  /** Seams of the boundary gate (network probe, daemon channel); the machine's own by default. */
  readonly boundary?: BoundaryDeps;
  /**
   * Start the agent API for each unlocked session. Its broker then becomes the owner gate the
   * window decides on (agents wait on that same broker). Without it, a private broker is used.
   */
  readonly startAgentServer?: StartAgentServer;
  /** Backup, restore and escrow files: Electron's dialogs, fixed temp paths in tests (desktop-files.ts). */
  readonly chooseFile?: FileChooser;
  /** Copying revealed content: the OS clipboard (Electron's in main) and how soon it is cleared (clipboard-guard.ts). */
  readonly clipboard?: ClipboardGuardOptions;
}

const OWNER = { kind: 'owner', channel: 'desktop' } as const;
const EXPORT_LIMIT = 100_000;
const ENGINE_DEFAULT_APPROVAL_TIMEOUT_MS = 5 * 60_000;

type ApprovalListener = (view: ApprovalView) => void;

export class DesktopBackend {
  private readonly ownBroker: ApprovalBroker;
  private broker: ApprovalBroker;
  private detachBroker: () => void = () => undefined;
  /** Live updates: the engine's appended audit kinds, coalesced into topics for the window. */
  private readonly changes = new VaultChangeFeed();
  private detachChanges: () => void = () => undefined;
  private server: AgentServerHandle | null = null;
  private readonly approvalListeners = new Set<ApprovalListener>();
  private session: VaultSession | null = null;
  /** Approval requests raised by the owner's own reveal: approved by that re-authenticated call. */
  private readonly ownerReveals = new Set<string>();
  private readonly lockListeners = new Set<() => void>();
  private agentsOfSession: DesktopAgents | null = null;
  /** The saved settings of the open session (null: none saved, defaults apply). */
  private savedSettings: DesktopSettingsDto | null = null;
  /** The approval timeout the open session's engine was built with. */
  private activeApprovalTimeoutMs = ENGINE_DEFAULT_APPROVAL_TIMEOUT_MS;
  private readonly progressListeners = new Set<(p: OperationProgressDto) => void>();

  /** The level-5 "insert and touch your key" step the window follows (desktop-key-touch.ts). */
  readonly keyTouch: KeyTouchFlow;

  /** Copied secrets are cleared after a while, and at once on lock. */
  readonly clipboard: ClipboardGuard;

  constructor(private readonly opts: DesktopBackendOptions) {
    this.clipboard = new ClipboardGuard(opts.clipboard);
    this.lockListeners.add(() => this.clipboard.clearIfOurs());
    this.keyTouch = new KeyTouchFlow(opts.keyTouch);
    this.ownBroker = new ApprovalBroker(opts.clock ?? systemClock);
    this.broker = this.ownBroker;
  }

  /** The engine, for the composition root and tests that play the agent side. */
  get engine(): VaultSession['engine'] {
    return this.requireSession().engine;
  }

  /**
   * The open session, for the desktop's feature services (backups, keys, recovery…) that live in
   * their own files beside this one. Throws VAULT_LOCKED when locked.
   */
  currentSession(): VaultSession {
    return this.requireSession();
  }

  /** The level-5 transport and prompts the sessions use; key registration talks to the same keys. */
  hardwareKeyBinding(): HardwareKeyBindingOptions {
    return this.opts.hardwareKey ?? desktopHardwareKey();
  }

  get isUnlocked(): boolean {
    return this.session !== null;
  }

  /** Idle time after which the vault locks itself (read by the idle-lock poll, so changes apply at once). */
  get autoLockSeconds(): number {
    return (this.savedSettings?.autoLockMinutes ?? AUTO_LOCK_MINUTES.default) * 60;
  }

  // ---- lifecycle -------------------------------------------------------------------------
  status(): VaultStatusDto {
    const base = { vaultDir: this.opts.vaultDir, keySource: keySourceOf(this.opts.vaultDir) };
    if (!this.session) {
      const state = existsSync(vaultPaths(this.opts.vaultDir).header) ? 'locked' : 'absent';
      return { ...base, state, lockdown: false, memories: 0, auditEvents: 0 };
    }
    const st = this.session.engine.status();
    const memories = Object.values(st.memories).reduce((a, b) => a + b, 0);
    return { ...base, state: 'unlocked', lockdown: st.lockdown.on, memories, auditEvents: st.auditEvents };
  }

  /** `secret`: a passphrase, or the key source the new vault is made with (keyfile, TPM with an optional PIN). */
  async create(secret: OwnerSecret): Promise<VaultStatusDto> {
    if (this.session) throw new VaultError('VAULT_EXISTS', 'A vault is already open.');
    await withCredentials(secret, this.opts.chooseKeyfile, 'create', async (credentials) => {
      // A new vault has no saved settings: a mirror left by an earlier vault here is ignored.
      const session = await composeNewOwnerVault({
        ...this.surface(null),
        dir: this.opts.vaultDir,
        credentials,
        ...(this.opts.kdfCost ? { kdfCost: this.opts.kdfCost } : {}),
      });
      await this.attach(session, credentials);
    });
    return this.status();
  }

  /** `secret`: the vault's own key source (a passphrase string is shorthand for a passphrase). */
  async unlock(secret: OwnerSecret): Promise<VaultStatusDto> {
    if (this.session) return this.status();
    await withCredentials(secret, this.opts.chooseKeyfile, 'unlock', async (credentials) => {
      const session = await composeOwnerSession({
        ...this.surface(readUnlockConfig(this.opts.vaultDir)),
        dir: this.opts.vaultDir,
        credentials,
      });
      await this.attach(session, credentials);
    });
    return this.status();
  }

  /** Lock: pending requests expire, the session closes and its keys are wiped. Idempotent. */
  async lock(): Promise<VaultStatusDto> {
    const session = this.session;
    if (session) {
      this.session = null;
      const server = this.server;
      this.server = null;
      this.keyTouch.endAll();
      this.broker.expireAll();
      // Let the expired recalls write their audit events (approval.expired, then the refusal)
      // before the database closes.
      await session.engine.drain();
      try {
        await server?.close();
      } finally {
        this.detachBroker();
        this.detachChanges();
        this.changes.reset();
        session.close();
      }
      this.agentsOfSession = null;
      this.savedSettings = null;
      for (const l of this.lockListeners) l();
    }
    return this.status();
  }

  /** Which parts of the vault changed (coalesced, after commit): the window re-reads those. */
  onVaultChanged(listener: VaultChangeListener): () => void {
    return this.changes.subscribe(listener);
  }

  onDidLock(listener: () => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  // ---- long owner operations (backup, restore, rotation: desktop-backup.ts, desktop-rotation.ts)
  /** Progress of a running operation, for main to push to the window. */
  reportProgress(p: OperationProgressDto): void {
    for (const l of this.progressListeners) l(p);
  }

  onProgress(listener: (p: OperationProgressDto) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** The owner's credential for a feature service (rotation, escrow, restore): resolved, used, wiped. */
  withOwnerCredentials<T>(secret: OwnerSecret, purpose: KeyfilePurpose, use: (credentials: Credentials) => Promise<T>): Promise<T> {
    return withCredentials(secret, this.opts.chooseKeyfile, purpose, use);
  }

  /** Asks the owner for a file or folder (null: cancelled, or no chooser in this build). */
  chooseFile(request: FileRequest): Promise<string | null> {
    return this.opts.chooseFile ? this.opts.chooseFile(request) : Promise.resolve(null);
  }

  get vaultDir(): string {
    return this.opts.vaultDir;
  }

  /** The Argon2id cost for new passphrases made here (new vaults, backup passphrases); undefined = the core default. */
  get kdfCost(): { opsLimit: number; memLimitBytes: number } | undefined {
    return this.opts.kdfCost;
  }

  /**
   * For what replaces the vault's keys or files (key rotation, restore over this vault), as the
   * CLI does it — with nothing else serving the vault: lock first (pending requests expire, the
   * agent server stops, keys are wiped), then `fn` may open a fresh owner session that serves
   * nobody, with the owner's credentials (their re-authentication). The vault stays locked
   * afterwards: the owner unlocks again, under the new keys or the restored files.
   */
  async runLocked<T>(fn: (openOwnerSession: (credentials: Credentials) => Promise<VaultSession>) => Promise<T>): Promise<T> {
    await this.lock();
    return fn((credentials) =>
      composeOwnerSession({ ...this.surface(readUnlockConfig(this.opts.vaultDir)), dir: this.opts.vaultDir, credentials }),
    );
  }

  // ---- approvals -------------------------------------------------------------------------
  pendingApprovals(): ApprovalView[] {
    return this.broker.pending().filter((v) => !this.ownerReveals.has(v.requestId));
  }

  /** `digest` is the one of the request the window displayed; the broker refuses any other. */
  decide(requestId: string, approve: boolean, grantMinutes: number | undefined, digest: string): ApprovalView {
    this.requireSession();
    if (this.ownerReveals.has(requestId)) throw new VaultError('NOT_FOUND', 'No such approval request.');
    const view = approve ? this.broker.pending().find((v) => v.requestId === requestId) : undefined;
    if (view?.level === 5)
      this.keyTouch.expect(touchContextFor('agent-recall', view.requester.name, view.memory, this.notifySealedTitles), view.memory.title);
    return this.broker.decide(
      requestId,
      approve ? { approve: true, ...(grantMinutes !== undefined ? { grantMinutes } : {}) } : { approve: false },
      'desktop',
      digest,
    );
  }

  /** Changes the window should see (the owner's own reveal requests are not shown as a dialog). */
  onApprovalsChanged(listener: ApprovalListener): () => void {
    this.approvalListeners.add(listener);
    return () => this.approvalListeners.delete(listener);
  }

  /** The agent server of the open session (tests create agent tokens through it). */
  get agentServer(): AgentServerHandle | null {
    return this.server;
  }

  // ---- memories --------------------------------------------------------------------------
  search(query: string, limit: number | undefined): Promise<MemorySummaryDto[]> {
    return this.requireSession().engine.search({ query, ...(limit !== undefined ? { limit } : {}) }, OWNER);
  }

  list(args: {
    limit?: number | undefined;
    offset?: number | undefined;
    level?: Level | undefined;
    includeTombstoned?: boolean | undefined;
  }): Promise<MemorySummaryDto[]> {
    const { limit, offset, level, includeTombstoned } = args;
    return this.requireSession().engine.list(
      {
        ...(limit !== undefined ? { limit } : {}),
        ...(offset !== undefined ? { offset } : {}),
        ...(level !== undefined ? { level } : {}),
        ...(includeTombstoned !== undefined ? { includeTombstoned } : {}),
      },
      OWNER,
    );
  }

  describe(memoryId: string): MemorySummaryDto {
    return this.requireSession().engine.describe(memoryId);
  }

  async reveal(memoryId: string, secret: OwnerSecret | undefined): Promise<RevealedMemoryDto> {
    const session = this.requireSession();
    const summary = session.engine.describe(memoryId);
    if (summary.level >= 3) {
      if (secret === undefined)
        throw new VaultError('BAD_CREDENTIALS', `Present your vault's credential again to reveal a level-${summary.level} memory.`);
      await withCredentials(secret, this.opts.chooseKeyfile, 'reveal', (c) => session.verifyOwner(c, 'desktop'));
    }
    if (summary.level === 5) this.keyTouch.expect(touchContextFor('owner-reveal', 'You', summary, this.notifySealedTitles), summary.title);
    const raised: string[] = [];
    try {
      const result = await session.engine.recall({ memoryId: summary.id, justification: 'Owner reveal in the desktop app' }, OWNER, {
        onApprovalRequested: (requestId) => {
          raised.push(requestId);
          this.ownerReveals.add(requestId);
        },
      });
      try {
        return { memory: result.memory, content: result.content.toString('utf8'), auditSeq: result.auditSeq };
      } finally {
        zeroize(result.content);
      }
    } finally {
      for (const id of raised) this.ownerReveals.delete(id);
    }
  }

  tombstone(memoryId: string, confirmShortId: string): Promise<MemorySummaryDto> {
    const session = this.requireSession();
    return session.engine.tombstone({ memoryId, confirmShortId }, session.ownerProof());
  }

  // ---- audit -----------------------------------------------------------------------------
  auditPage(query: AuditPageQuery): AuditPageDto {
    const session = this.requireSession();
    const agents = this.agents();
    return readAuditPage(
      session.engine.auditLog,
      {
        agentNames: () => new Map(agents.list().map((a) => [a.id, a.name])),
        memoryTitle: (id) => {
          const memoryId = parseMemoryId(id);
          return memoryId ? session.reads.getMemory(memoryId)?.title : undefined;
        },
      },
      query,
    );
  }

  verifyAudit(): Promise<AuditVerificationDto> {
    return this.requireSession().engine.auditLog.verify();
  }

  async exportBundle(filter: AuditFilterDto | undefined): Promise<{ saved: boolean; path: string | null; events: number }> {
    const engine = this.requireSession().engine;
    const path = await this.opts.chooseExportPath(`memory-vault-proof-${new Date().toISOString().slice(0, 10)}.json`);
    if (path === null) return { saved: false, path: null, events: 0 };
    const bundle = await engine.auditLog.exportBundle({ ...toRecordFilter(filter), limit: EXPORT_LIMIT });
    writeFileSync(path, `${JSON.stringify(bundle)}\n`, { mode: 0o600 });
    await engine.recordEvent({
      kind: 'audit.export',
      actor: { type: 'owner', id: 'desktop' },
      outcome: 'ok',
      details: { events: bundle.events.length },
    });
    return { saved: true, path, events: bundle.events.length };
  }

  // ---- lockdown --------------------------------------------------------------------------
  lockdownStatus(): LockdownStateDto {
    return this.requireSession().engine.lockdownStatus();
  }

  engageLockdown(reason: string | undefined): Promise<LockdownStateDto> {
    return this.requireSession().engine.lockdownOn(OWNER, reason ?? 'Owner pressed lockdown in the desktop app');
  }

  async liftLockdown(secret: OwnerSecret): Promise<LockdownStateDto> {
    const session = this.requireSession();
    const proof = await withCredentials(secret, this.opts.chooseKeyfile, 'lift-lockdown', (c) => session.verifyOwner(c, 'desktop'));
    return session.engine.lockdownOff(proof);
  }

  // ---- agents ----------------------------------------------------------------------------
  listAgents(): AgentDto[] {
    return this.agents().list();
  }

  createAgent(args: CreateAgentArgs): Promise<CreatedAgentDto> {
    return this.agents().create(args);
  }

  resumeAgent(agentId: string): Promise<AgentDto> {
    return this.agents().resume(agentId);
  }

  revokeAgent(agentId: string): Promise<AgentDto> {
    return this.agents().revoke(agentId);
  }

  // ---- grants ----------------------------------------------------------------------------
  listGrants(): GrantDto[] {
    return this.requireSession().engine.listGrants().map(toGrantDto);
  }

  async revokeGrant(grantId: string): Promise<GrantDto> {
    return toGrantDto(await this.requireSession().engine.revokeGrant(grantId, OWNER));
  }

  // ---- settings --------------------------------------------------------------------------
  settings(): SettingsViewDto {
    this.requireSession();
    const saved = this.savedSettings;
    return {
      saved: saved ?? DEFAULT_SETTINGS,
      activeApprovalExpirySeconds: this.activeApprovalTimeoutMs / 1000,
      approvalExpiryAppliesAtNextUnlock: saved !== null && saved.approvalExpirySeconds * 1000 !== this.activeApprovalTimeoutMs,
    };
  }

  /** The owner opted in to level ≥ 3 titles on OS notifications (off unless saved as true). */
  get notifySealedTitles(): boolean {
    return this.savedSettings?.notifySealedTitles === true;
  }

  async updateSettings(next: DesktopSettingsDto): Promise<SettingsViewDto> {
    const session = this.requireSession();
    // The vault's copy first (with its settings.change leaf): it is the source of truth; the mirror only serves the next unlock.
    await writeStoredSettings(session.engine, next);
    writeUnlockConfig(this.opts.vaultDir, next.approvalExpirySeconds);
    this.savedSettings = { ...next };
    return this.settings();
  }

  // ---- internals -------------------------------------------------------------------------
  /**
   * The desktop as an owner surface (the same composition as the CLI and `serve`: boundary gate,
   * FIDO2 key, TPM, unlock checks), with the approval timeout the engine should be built with.
   * Approvals are set in `attach`: the agent server's broker, or this backend's own.
   */
  private surface(savedApprovalExpirySeconds: number | null): OwnerSurface {
    const base = this.opts.session ?? {};
    const approvalTimeoutMs =
      savedApprovalExpirySeconds !== null
        ? savedApprovalExpirySeconds * 1000
        : (base.config?.approvalTimeoutMs ?? ENGINE_DEFAULT_APPROVAL_TIMEOUT_MS);
    this.activeApprovalTimeoutMs = approvalTimeoutMs;
    return {
      channel: 'desktop',
      hardwareKey: this.keyTouch.binding(this.opts.hardwareKey ?? desktopHardwareKey()),
      onWarning: (message) => console.warn(`[vault] ${message}`),
      config: { ...base.config, approvalTimeoutMs },
      ...(this.opts.boundary ? { boundary: this.opts.boundary } : {}),
      ...(base.tpm ? { tpm: base.tpm } : {}),
      ...(base.clock ? { clock: base.clock } : {}),
    };
  }

  private agents(): DesktopAgents {
    const session = this.requireSession();
    const clock = this.opts.clock ?? systemClock;
    // The running server's registry when there is one, so both sides share its state.
    this.agentsOfSession ??= new DesktopAgents(session, this.server?.registry ?? new AgentRegistry(session.tables.agents), () =>
      clock.now(),
    );
    return this.agentsOfSession;
  }

  private async attach(session: VaultSession, ownerCredential: Credentials): Promise<void> {
    try {
      this.server = this.opts.startAgentServer ? await this.opts.startAgentServer(session, ownerCredential) : null;
    } catch (e) {
      session.close();
      throw e;
    }
    this.broker = this.server?.broker ?? this.ownBroker;
    session.engine.setGates({ approvals: this.broker });
    // Level 5 in the window: every key touch is an attempt the owner follows, cancels or retries.
    const hardwarePort = session.hardwareKeyPort;
    if (hardwarePort) {
      const followed = this.keyTouch.wrap(hardwarePort);
      session.engine.setGates({ hardwareKey: followed });
      session.useHardwarePort(followed);
    }
    const broker = this.broker;
    this.detachBroker = broker.onDidChange((view) => {
      if (this.ownerReveals.has(view.requestId)) {
        // The owner's own reveal, already re-authenticated in this process: approve it here.
        if (view.state === 'pending') broker.decide(view.requestId, { approve: true }, 'desktop', view.digest);
        return;
      }
      for (const l of this.approvalListeners) l(view);
    });
    // Every state change is an audit leaf, so this one hook covers stores, tombstones, agents, lockdown…
    this.detachChanges = session.engine.onAuditAppended((kinds) => this.changes.noteKinds(kinds));
    this.session = session;
    this.savedSettings = readStoredSettings(session.ports.state);
    // Keep the mirror in step with the vault's own copy (it may be stale, edited, or left over).
    // It only saves a second unlock, so failing to write it must not fail this one.
    try {
      writeUnlockConfig(this.opts.vaultDir, this.savedSettings?.approvalExpirySeconds ?? null);
    } catch (e) {
      console.error('[settings] could not update the unlock mirror', e);
    }
  }

  private requireSession(): VaultSession {
    if (!this.session) throw new VaultError('VAULT_LOCKED', 'The vault is locked.');
    return this.session;
  }
}
