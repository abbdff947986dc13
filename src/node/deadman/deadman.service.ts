// The dead-man switch: armed with a FIDO2 touch, kept alive by check-ins, and — once the
// deadline and grace period pass without one — releasing age-encrypted packages to the heirs.
// Invariants: packages are built while the owner is present (memories recalled through the
// engine as the owner, so every recall is gated and audited) and stored only as age ciphertext;
// the release writes the same bytes however often it is retried and is recorded exactly once
// (state `released` and the audit event commit together); disarming needs the arming token.
// Every state change here goes through `engine.runAudited`: the vault_state write and its
// `deadman.*` leaf are one transaction, so a crash or a failed append leaves both or neither.
// The header's recovery slot is a file, not a table: it is added before the armed state commits
// (and taken out again if that commit fails) and removed before the disarm commits (a failed
// disarm then leaves a switch whose recovery key no longer opens the vault — the safe side).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sha256, zeroize } from '../../core/crypto/keys.js';
import {
  deadmanStateSchema,
  deadmanTiming,
  defaultWarnBefore,
  heirSchema,
  type DeadmanPhase,
  type DeadmanState,
  type Heir,
  type HeirPackage,
} from '../../core/deadman/deadman-state.js';
import type { AuditedWrite } from '../../core/engine/audited-write.js';
import { VaultError } from '../../core/errors.js';
import type { HardwareKeyPort } from '../../core/ports/hardware-key.port.js';
import type { Credentials } from '../vault/credentials.js';
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import type { SessionPorts } from '../vault/session-ports.js';
import { addRecoverySlot, removeRecoverySlot } from '../escrow/recovery-slot.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { sealHeirPackage } from './heir-package.js';

/**
 * What the switch needs from an open session (narrow ports, not the session): the header file
 * (the recovery slot), the owner's keys, the audited writer, the clock, vault_state to read and
 * the level-5 port — plus owner recalls, so every packaged memory is gated and audited.
 */
export interface DeadmanHost {
  readonly ports: Pick<SessionPorts, 'headers' | 'owner' | 'audited' | 'clock' | 'state' | 'hardwareKey'>;
  readonly engine: Pick<VaultEngine, 'recall'>;
}

const STATE = 'deadman';
const PACKAGE_PREFIX = 'deadman.package.';
/** Packages live in vault_state: keep them to what a person can use (and a backup can carry). */
const MAX_PACKAGE_CONTENT = 16 * 1024 * 1024;

export interface ArmOptions {
  readonly intervalMs: number;
  readonly graceMs: number;
  readonly warnBeforeMs?: number;
  readonly releaseDir: string;
  readonly heirs: readonly Heir[];
  readonly memoryIds: readonly string[];
  /** Put a recovery key (a new header slot) into the packages; needs the owner's credentials. */
  readonly includeRecoveryKey?: boolean;
  readonly credentials?: Credentials;
  /** Defaults to the session's level-5 port (its bound FIDO2 keys). */
  readonly port?: HardwareKeyPort;
  /** The owner surface arming it (the audit actor and the packaged recalls' channel); default 'cli'. */
  readonly surface?: OwnerChannel;
}

export interface DeadmanStatus {
  readonly armed: boolean;
  readonly switchId: string | null;
  readonly phase: DeadmanPhase | 'disarmed';
  readonly deadline: string | null;
  readonly releaseAt: string | null;
  readonly msToDeadline: number | null;
  readonly heirs: readonly Heir[];
  readonly releaseDir: string | null;
  readonly memories: number;
  readonly recoveryKeyIncluded: boolean;
  readonly released: { at: string; files: readonly string[] } | null;
  /** Plain-words warnings: deadline near or past, recovery key invalidated by a rotation. */
  readonly warnings: readonly string[];
}

/** `from` is the session (its read-only state port), or the write handle inside an audited transaction. */
export function readDeadmanState(
  from: { readonly ports: Pick<SessionPorts, 'state'> } | Pick<AuditedWrite, 'getState'>,
): DeadmanState | null {
  const raw = ('ports' in from ? from.ports.state : from).getState(STATE);
  if (raw === undefined || raw === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new VaultError('VAULT_CORRUPT', 'The dead-man switch state is damaged.');
  }
  const parsed = deadmanStateSchema.safeParse(json);
  if (!parsed.success) throw new VaultError('VAULT_CORRUPT', 'The dead-man switch state is damaged.');
  return parsed.data;
}

function tokenCheck(secret: Uint8Array): string {
  return sha256(Buffer.concat([Buffer.from('memory-vault/deadman-token/v1\n'), secret])).toString('hex');
}

function portOf(session: DeadmanHost, port: HardwareKeyPort | undefined): HardwareKeyPort {
  const p = port ?? session.ports.hardwareKey();
  if (!p || p.enrolledCredentials().length === 0) {
    throw new VaultError(
      'HARDWARE_REQUIRED',
      'The dead-man switch is armed and disarmed with a registered security key: register one with `memory-vault key add`.',
    );
  }
  return p;
}

function duration(ms: number): string {
  const h = Math.round(Math.abs(ms) / 3_600_000);
  return h >= 48 ? `${Math.round(h / 24)} days` : h >= 1 ? `${h} h` : `${Math.max(1, Math.round(Math.abs(ms) / 60_000))} min`;
}

export async function armDeadman(session: DeadmanHost, opts: ArmOptions): Promise<DeadmanStatus> {
  const existing = readDeadmanState(session);
  if (existing && !existing.released)
    throw new VaultError('INVALID_INPUT', 'The dead-man switch is already armed: disarm it first (with its security key).');
  if (opts.intervalMs < 60_000) throw new VaultError('INVALID_INPUT', 'The check-in interval must be at least a minute.');
  if (opts.graceMs < 0) throw new VaultError('INVALID_INPUT', 'The grace period cannot be negative.');
  const heirs = opts.heirs.map((h) => {
    const parsed = heirSchema.safeParse(h);
    if (!parsed.success) throw new VaultError('INVALID_INPUT', parsed.error.issues.map((i) => i.message).join('; '));
    return parsed.data;
  });
  if (heirs.length === 0) throw new VaultError('INVALID_INPUT', 'Name at least one heir (name=age1…).');
  if (new Set(heirs.map((h) => h.name)).size !== heirs.length) throw new VaultError('INVALID_INPUT', 'Heir names must be distinct.');
  if (opts.memoryIds.length === 0 && !opts.includeRecoveryKey)
    throw new VaultError('INVALID_INPUT', 'Choose memories to release, a recovery key, or both.');
  if (opts.includeRecoveryKey && !opts.credentials)
    throw new VaultError('BAD_CREDENTIALS', 'Including a recovery key needs your credentials again.');

  // The touch comes first: nothing is recalled or changed for someone without the token.
  const port = portOf(session, opts.port);
  const salt = randomBytes(32);
  const touch = await port.deriveSecret({ salt, allowCredentials: port.enrolledCredentials(), reason: 'Arm the dead-man switch' });
  const check = tokenCheck(touch.secret);
  zeroize(touch.secret);

  const switchId = randomUUID();
  const surface = opts.surface ?? 'cli';
  const now = session.ports.clock.now();
  const memories: HeirPackage['memories'] = [];
  let total = 0;
  try {
    for (const id of opts.memoryIds) {
      const r = await session.engine.recall(
        { memoryId: id, justification: `dead-man switch ${switchId}: package for heirs` },
        { kind: 'owner', channel: surface },
      );
      total += r.content.length;
      if (total > MAX_PACKAGE_CONTENT) {
        zeroize(r.content);
        throw new VaultError('INVALID_INPUT', 'The chosen memories exceed 16 MiB; choose fewer.');
      }
      const utf8 = r.content.toString('utf8');
      memories.push({
        id: r.memory.id,
        title: r.memory.title,
        level: r.memory.level,
        namespace: r.memory.namespace,
        contentBase64: r.content.toString('base64'),
        contentUtf8: Buffer.from(utf8, 'utf8').equals(r.content) ? utf8 : null,
      });
      zeroize(r.content);
    }
    let recovery: HeirPackage['recovery'] = null;
    if (opts.includeRecoveryKey && opts.credentials) {
      const keys = await session.ports.owner.openKeys(opts.credentials);
      zeroize(keys.wrappingKey);
      const { slot, recoveryKey } = addRecoverySlot(session, keys.profileKey, 'deadman');
      zeroize(keys.profileKey);
      recovery = {
        slotId: slot.id,
        recoveryKeyBase64: recoveryKey.toString('base64'),
        howTo: `With a copy of the vault directory: save this JSON as recovery.json and run \`memory-vault --vault DIR recover --recovery-key-file recovery.json\`; you will choose a new passphrase.`,
      };
      zeroize(recoveryKey);
    }
    const packages: string[] = [];
    for (const heir of heirs) {
      packages.push(
        await sealHeirPackage(heir, {
          format: 'memory-vault-heir-package',
          version: 1,
          vaultId: session.ports.headers.header.vaultId,
          switchId,
          heir: heir.name,
          sealedAt: new Date(now).toISOString(),
          memories,
          recovery,
        }),
      );
    }
    const state: DeadmanState = {
      v: 1,
      id: switchId,
      armedAt: now,
      intervalMs: opts.intervalMs,
      graceMs: opts.graceMs,
      warnBeforeMs: opts.warnBeforeMs ?? defaultWarnBefore(opts.intervalMs),
      lastCheckIn: now,
      releaseDir: resolve(opts.releaseDir),
      heirs,
      payload: { memoryIds: memories.map((m) => m.id), recoverySlot: recovery?.slotId ?? null },
      token: { credentialId: touch.credentialId, salt: salt.toString('base64'), check },
      released: null,
    };
    try {
      await session.ports.audited.runAudited(
        (tx) => {
          // Re-checked inside the transaction: two arms racing must not both win.
          const current = readDeadmanState(tx);
          if (current && !current.released)
            throw new VaultError('INVALID_INPUT', 'The dead-man switch is already armed: disarm it first (with its security key).');
          clearPackages(tx, current);
          packages.forEach((p, i) => tx.setState(`${PACKAGE_PREFIX}${i}`, p));
          tx.setState(STATE, JSON.stringify(state));
        },
        () => ({
          kind: 'deadman.arm',
          actor: { type: 'owner', id: surface },
          outcome: 'ok',
          details: {
            switchId,
            heirs: heirs.map((h) => `${h.name}=${h.recipient}`),
            memories: memories.length,
            recoveryKey: recovery !== null,
            intervalMs: state.intervalMs,
            graceMs: state.graceMs,
            credentialId: touch.credentialId,
          },
        }),
      );
    } catch (e) {
      // Not armed: the recovery key sealed into the (discarded) packages must not open the vault.
      if (recovery) removeRecoverySlot(session, recovery.slotId);
      throw e;
    }
    return deadmanStatus(session);
  } finally {
    for (const m of memories) m.contentBase64 = '';
  }
}

/**
 * Empty the packages a state wrote (one per heir, `deadman.package.<i>`). Emptied rather than
 * deleted: the audited write handle has no delete, and an empty package reads as missing.
 */
function clearPackages(tx: AuditedWrite, state: DeadmanState | null): void {
  if (!state) return;
  state.heirs.forEach((_h, i) => {
    const key = `${PACKAGE_PREFIX}${i}`;
    const v = tx.getState(key);
    if (v !== undefined && v !== '') tx.setState(key, '');
  });
}

export async function checkInDeadman(session: DeadmanHost, surface: OwnerChannel = 'cli'): Promise<{ deadline: number }> {
  const state = readDeadmanState(session);
  if (!state) throw new VaultError('NOT_FOUND', 'The dead-man switch is not armed.');
  if (state.released) throw new VaultError('INVALID_INPUT', 'The dead-man switch has already released its packages; arm it again.');
  const now = session.ports.clock.now();
  const deadline = now + state.intervalMs;
  await session.ports.audited.runAudited(
    (tx) => {
      // Re-read inside the transaction: a release or disarm that landed meanwhile wins.
      const current = readDeadmanState(tx);
      if (!current || current.id !== state.id) throw new VaultError('NOT_FOUND', 'The dead-man switch is not armed.');
      if (current.released) throw new VaultError('INVALID_INPUT', 'The dead-man switch has already released its packages; arm it again.');
      tx.setState(STATE, JSON.stringify({ ...current, lastCheckIn: now } satisfies DeadmanState));
    },
    () => ({
      kind: 'deadman.checkin',
      actor: { type: 'owner', id: surface },
      outcome: 'ok',
      details: { switchId: state.id, deadline: new Date(deadline).toISOString() },
    }),
  );
  return { deadline };
}

export function deadmanStatus(session: DeadmanHost): DeadmanStatus {
  const state = readDeadmanState(session);
  if (!state) {
    return {
      armed: false,
      switchId: null,
      phase: 'disarmed',
      deadline: null,
      releaseAt: null,
      msToDeadline: null,
      heirs: [],
      releaseDir: null,
      memories: 0,
      recoveryKeyIncluded: false,
      released: null,
      warnings: [],
    };
  }
  const t = deadmanTiming(state, session.ports.clock.now());
  const warnings: string[] = [];
  if (t.phase === 'warning')
    warnings.push(
      `Dead-man switch: check in within ${duration(t.msToDeadline)} (deadline ${new Date(t.deadline).toISOString()}), or packages go to your heirs.`,
    );
  if (t.phase === 'grace')
    warnings.push(
      `Dead-man switch: the deadline passed ${duration(t.msToDeadline)} ago; packages are released at ${new Date(t.releaseAt).toISOString()} unless you check in.`,
    );
  const slot = state.payload.recoverySlot;
  if (slot && !state.released && !(session.ports.headers.profile.recovery ?? []).some((r) => r.id === slot)) {
    warnings.push(
      'Dead-man switch: the recovery key in the packages no longer opens the vault (a key rotation dropped it); disarm and arm again.',
    );
  }
  return {
    armed: !state.released,
    switchId: state.id,
    phase: t.phase,
    deadline: new Date(t.deadline).toISOString(),
    releaseAt: new Date(t.releaseAt).toISOString(),
    msToDeadline: t.msToDeadline,
    heirs: state.heirs,
    releaseDir: state.releaseDir,
    memories: state.payload.memoryIds.length,
    recoveryKeyIncluded: slot !== null,
    released: state.released ? { at: new Date(state.released.at).toISOString(), files: state.released.files } : null,
    warnings,
  };
}

export async function disarmDeadman(
  session: DeadmanHost,
  port?: HardwareKeyPort,
  surface: OwnerChannel = 'cli',
): Promise<{ switchId: string }> {
  const state = readDeadmanState(session);
  if (!state) throw new VaultError('NOT_FOUND', 'The dead-man switch is not armed.');
  const p = portOf(session, port);
  const refuse = async (e: VaultError): Promise<never> => {
    await session.ports.audited.recordEvent({
      kind: 'deadman.disarm',
      actor: { type: 'owner', id: surface },
      outcome: 'refused',
      code: e.code,
      details: { switchId: state.id },
    });
    throw e;
  };
  let touch;
  try {
    touch = await p.deriveSecret({
      salt: Buffer.from(state.token.salt, 'base64'),
      allowCredentials: [{ credentialId: state.token.credentialId }],
      reason: 'Disarm the dead-man switch',
    });
  } catch (e) {
    return refuse(e instanceof VaultError ? e : new VaultError('TOKEN_REQUIRED', 'The security key did not answer.'));
  }
  const ok = touch.credentialId === state.token.credentialId && tokenCheck(touch.secret) === state.token.check;
  zeroize(touch.secret);
  if (!ok) return refuse(new VaultError('TOKEN_MISMATCH', 'This is not the security key that armed the dead-man switch.'));
  if (state.payload.recoverySlot && !state.released) removeRecoverySlot(session, state.payload.recoverySlot);
  await session.ports.audited.runAudited(
    (tx) => {
      const current = readDeadmanState(tx);
      if (!current || current.id !== state.id) throw new VaultError('NOT_FOUND', 'The dead-man switch is not armed.');
      clearPackages(tx, current);
      tx.setState(STATE, '');
    },
    () => ({ kind: 'deadman.disarm', actor: { type: 'owner', id: surface }, outcome: 'ok', details: { switchId: state.id } }),
  );
  return { switchId: state.id };
}

/** Release the packages if the deadline and grace period have passed; a no-op otherwise or once released. */
export async function releaseIfDue(session: DeadmanHost): Promise<{ released: boolean; files: string[] }> {
  const state = readDeadmanState(session);
  if (!state || state.released) return { released: false, files: [] };
  const now = session.ports.clock.now();
  if (deadmanTiming(state, now).phase !== 'due') return { released: false, files: [] };
  mkdirSync(state.releaseDir, { recursive: true, mode: 0o700 });
  const files: string[] = [];
  state.heirs.forEach((heir, i) => {
    const armored = session.ports.state.getState(`${PACKAGE_PREFIX}${i}`);
    if (armored === undefined || armored === '')
      throw new VaultError('VAULT_CORRUPT', `The dead-man package for heir "${heir.name}" is missing.`);
    const file = join(state.releaseDir, `${heir.name}-${state.id.slice(0, 8)}.age`);
    // Same bytes on every attempt: a crash after writing and before recording repeats harmlessly.
    writeFileAtomic(file, armored);
    files.push(file);
  });
  const released: DeadmanState = { ...state, released: { at: now, files } };
  const recorded = await session.ports.audited.runAudited(
    (tx) => {
      // Re-read inside the transaction (the commit queue runs one at a time): a concurrent
      // checker finds it released here, writes nothing and records nothing.
      const again = readDeadmanState(tx);
      if (!again || again.released || again.id !== state.id) return false;
      tx.setState(STATE, JSON.stringify(released));
      clearPackages(tx, again);
      return true;
    },
    (won) =>
      won
        ? {
            kind: 'deadman.release',
            actor: { type: 'system', id: 'deadman-switch' },
            outcome: 'ok',
            details: {
              switchId: state.id,
              heirs: state.heirs.map((h) => h.name),
              files: files.length,
              deadline: new Date(state.lastCheckIn + state.intervalMs).toISOString(),
            },
          }
        : null,
  );
  return recorded ? { released: true, files } : { released: false, files: [] };
}
