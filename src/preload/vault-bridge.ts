// The `window.vault` object, built from narrow named verbs over the shared contracts. This file
// imports no Electron so the same factory runs in the preload (over ipcRenderer) and in the
// Playwright page (over page.exposeBinding). Invariant: the renderer gets functions and plain
// data only — never a channel name it can choose, never an ipcRenderer or event object.
import type { z } from 'zod';
import { ipcResultSchema, type EventContract, type InvokeContract, type IpcResult } from '../shared/contract.js';
import { agentsContracts } from '../shared/agents.contract.js';
import { approvalsChangedEvent, approvalsContracts, type ApprovalDto } from '../shared/approvals.contract.js';
import { auditContracts } from '../shared/audit.contract.js';
import { grantsContracts } from '../shared/grants.contract.js';
import { lockdownContracts } from '../shared/lockdown.contract.js';
import { memoriesContracts } from '../shared/memories.contract.js';
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
  return {
    status: noArgVerb(invoke, vaultContracts.status),
    createVault: verb(invoke, vaultContracts.create),
    unlock: verb(invoke, vaultContracts.unlock),
    lock: noArgVerb(invoke, vaultContracts.lock),
    onVaultStateChanged: (callback: (state: VaultStatusDto['state']) => void): (() => void) => vaultStateChanged((p) => callback(p.state)),

    listApprovals: noArgVerb(invoke, approvalsContracts.list),
    decideApproval: verb(invoke, approvalsContracts.decide),
    onApprovalsChanged: (callback: (request: ApprovalDto) => void): (() => void) => approvalsChanged((p) => callback(p.request)),

    searchMemories: verb(invoke, memoriesContracts.search),
    listMemories: verb(invoke, memoriesContracts.list),
    describeMemory: verb(invoke, memoriesContracts.describe),
    revealMemory: verb(invoke, memoriesContracts.reveal),
    tombstoneMemory: verb(invoke, memoriesContracts.tombstone),

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
  };
}

export type VaultBridge = ReturnType<typeof createVaultBridge>;
