// The `window.vault` object, built from narrow named verbs over the shared contracts. This file
// imports no Electron so the same factory runs in the preload (over ipcRenderer) and in the
// Playwright page (over page.exposeBinding). Invariant: the renderer gets functions and plain
// data only — never a channel name it can choose, never an ipcRenderer or event object.
import type { z } from 'zod';
import { ipcResultSchema, type EventContract, type InvokeContract, type IpcResult } from '../shared/contract.js';
import { agentsContracts } from '../shared/agents.contract.js';
import { approvalsChangedEvent, approvalsContracts, type ApprovalDto } from '../shared/approvals.contract.js';
import { auditContracts } from '../shared/audit.contract.js';
import { backupContracts } from '../shared/backup.contract.js';
import { clipboardContracts } from '../shared/clipboard.contract.js';
import { deadmanContracts } from '../shared/deadman.contract.js';
import { grantsContracts } from '../shared/grants.contract.js';
import { inboxContracts } from '../shared/inbox.contract.js';
import { keyTouchContracts, keyTouchStatusEvent, type TouchAttemptDto } from '../shared/key-touch.contract.js';
import { lockdownContracts } from '../shared/lockdown.contract.js';
import { vaultChangedEvent, type VaultTopic } from '../shared/live.contract.js';
import { approvalFocusEvent } from '../shared/attention.contract.js';
import { memoriesContracts } from '../shared/memories.contract.js';
import { memoryWriteContracts } from '../shared/memory-write.contract.js';
import { operationProgressEvent } from '../shared/progress.contract.js';
import { recoveryContracts } from '../shared/recovery.contract.js';
import { securityKeysContracts } from '../shared/security-keys.contract.js';
import { settingsContracts } from '../shared/settings.contract.js';
import { vaultContracts, vaultStateChangedEvent, type VaultStatusDto } from '../shared/vault.contract.js';

export type Invoke = (channel: string, args: unknown) => Promise<unknown>;
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

function malformed(detail: string): IpcResult<never> {
  return {
    ok: false,
    error: { code: 'INTERNAL', message: 'The main process sent a reply this window does not understand.', details: { detail } },
  };
}

function verb<Req extends z.ZodType, Res extends z.ZodType>(invoke: Invoke, contract: InvokeContract<Req, Res>) {
  const resultSchema = ipcResultSchema(contract.response);
  return async (args: z.input<Req>): Promise<IpcResult<z.output<Res>>> => {
    const parsed = resultSchema.safeParse(await invoke(contract.channel, args));
    if (!parsed.success) return malformed(parsed.error.issues[0]?.message ?? 'invalid');
    return parsed.data as IpcResult<z.output<Res>>;
  };
}

function noArgVerb<Req extends z.ZodType, Res extends z.ZodType>(invoke: Invoke, contract: InvokeContract<Req, Res>) {
  const call = verb(invoke, contract);
  return (): Promise<IpcResult<z.output<Res>>> => call({} as z.input<Req>);
}

function listen<P extends z.ZodType>(subscribe: Subscribe, contract: EventContract<P>) {
  return (callback: (payload: z.output<P>) => void): (() => void) => {
    const unsubscribe = subscribe(contract.channel, (raw) => {
      const parsed = contract.payload.safeParse(raw);
      // A payload that does not parse is dropped: the renderer refetches on the next event.
      if (parsed.success) callback(parsed.data);
    });
    return () => unsubscribe();
  };
}

export function createVaultBridge(invoke: Invoke, subscribe: Subscribe) {
  const approvalsChanged = listen(subscribe, approvalsChangedEvent);
  const vaultStateChanged = listen(subscribe, vaultStateChangedEvent);
  const keyTouchStatus = listen(subscribe, keyTouchStatusEvent);
  const vaultChanged = listen(subscribe, vaultChangedEvent);
  const approvalFocus = listen(subscribe, approvalFocusEvent);
  return {
    status: noArgVerb(invoke, vaultContracts.status),
    createVault: verb(invoke, vaultContracts.create),
    unlock: verb(invoke, vaultContracts.unlock),
    lock: noArgVerb(invoke, vaultContracts.lock),
    onVaultStateChanged: (callback: (state: VaultStatusDto['state']) => void): (() => void) => vaultStateChanged((p) => callback(p.state)),
    /** Live updates: which parts of the vault changed; the window re-reads them (live.contract.ts). */
    onVaultChanged: (callback: (topics: readonly VaultTopic[]) => void): (() => void) => vaultChanged((p) => callback(p.topics)),

    listApprovals: noArgVerb(invoke, approvalsContracts.list),
    decideApproval: verb(invoke, approvalsContracts.decide),
    onApprovalsChanged: (callback: (request: ApprovalDto) => void): (() => void) => approvalsChanged((p) => callback(p.request)),
    /** The owner clicked an approval notification: focus the approval dialog. */
    onApprovalFocusRequested: (callback: (requestId: string) => void): (() => void) => approvalFocus((p) => callback(p.requestId)),

    searchMemories: verb(invoke, memoriesContracts.search),
    listMemories: verb(invoke, memoriesContracts.list),
    describeMemory: verb(invoke, memoriesContracts.describe),
    revealMemory: verb(invoke, memoriesContracts.reveal),
    tombstoneMemory: verb(invoke, memoriesContracts.tombstone),
    storeMemory: verb(invoke, memoryWriteContracts.store),
    editMemoryLabels: verb(invoke, memoryWriteContracts.editLabels),

    listAudit: verb(invoke, auditContracts.list),
    verifyAudit: noArgVerb(invoke, auditContracts.verify),
    exportAuditBundle: verb(invoke, auditContracts.exportBundle),

    lockdownStatus: noArgVerb(invoke, lockdownContracts.status),
    engageLockdown: verb(invoke, lockdownContracts.engage),
    liftLockdown: verb(invoke, lockdownContracts.lift),

    listAgents: noArgVerb(invoke, agentsContracts.list),
    createAgent: verb(invoke, agentsContracts.create),
    revokeAgent: verb(invoke, agentsContracts.revoke),
    resumeAgent: verb(invoke, agentsContracts.resume),

    listGrants: noArgVerb(invoke, grantsContracts.list),
    revokeGrant: verb(invoke, grantsContracts.revoke),

    getSettings: noArgVerb(invoke, settingsContracts.get),
    updateSettings: verb(invoke, settingsContracts.update),

    /** Level 5: the security-key step main runs over the CTAP2/HID driver (key-touch.contract.ts). */
    keyTouchAttempts: noArgVerb(invoke, keyTouchContracts.current),
    cancelKeyTouch: verb(invoke, keyTouchContracts.cancel),
    submitKeyPin: verb(invoke, keyTouchContracts.submitPin),
    retryKeyTouch: verb(invoke, keyTouchContracts.retry),
    dismissKeyTouch: verb(invoke, keyTouchContracts.dismiss),
    onKeyTouchStatus: (callback: (attempt: TouchAttemptDto) => void): (() => void) => keyTouchStatus((p) => callback(p.attempt)),

    listInbox: verb(invoke, inboxContracts.list),

    /** Copy revealed content; main clears the clipboard after a while if it still holds it. */
    copySecret: verb(invoke, clipboardContracts.copySecret),

    listBackups: noArgVerb(invoke, backupContracts.list),
    createBackup: verb(invoke, backupContracts.create),
    openBackup: noArgVerb(invoke, backupContracts.open),
    verifyBackup: verb(invoke, backupContracts.verify),
    restoreBackup: verb(invoke, backupContracts.restore),
    /** Progress of backup, verify, restore and key rotation while they run. */
    onOperationProgress: listen(subscribe, operationProgressEvent),

    rotateKey: verb(invoke, recoveryContracts.rotate),
    listEscrows: noArgVerb(invoke, recoveryContracts.listEscrows),
    pendingEscrows: noArgVerb(invoke, recoveryContracts.pendingEscrows),
    createEscrow: verb(invoke, recoveryContracts.createEscrow),
    saveEscrowShare: verb(invoke, recoveryContracts.saveShare),
    dismissEscrowShares: verb(invoke, recoveryContracts.dismissShares),
    deleteEscrow: verb(invoke, recoveryContracts.deleteEscrow),

    listSecurityKeys: verb(invoke, securityKeysContracts.list),
    registerSecurityKey: verb(invoke, securityKeysContracts.register),
    cancelSecurityKeyRegistration: noArgVerb(invoke, securityKeysContracts.cancelRegister),
    renameSecurityKey: verb(invoke, securityKeysContracts.rename),
    revokeSecurityKey: verb(invoke, securityKeysContracts.revoke),

    deadmanStatus: noArgVerb(invoke, deadmanContracts.status),
    armDeadman: verb(invoke, deadmanContracts.arm),
    checkInDeadman: noArgVerb(invoke, deadmanContracts.checkIn),
    disarmDeadman: noArgVerb(invoke, deadmanContracts.disarm),
  };
}

export type VaultBridge = ReturnType<typeof createVaultBridge>;
