// Arm the switch: how often to check in, the grace period, where packages go on release, the
// heirs (age recipients) and the memories to seal for them. Main asks for the key touch first,
// then recalls each chosen memory as the owner (gated and audited), then seals the packages.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { ArmDeadmanInput } from '../../../shared/deadman.contract.js';
import { Button } from '../../components/button.js';
import { LevelBadge } from '../../components/level-badge.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { TouchPrompt } from '../security-keys/touch-prompt.js';
import { useCredentialInput, useKeySource } from '../vault/credential-fields.js';
import { HeirRows, type HeirDraft } from './heir-rows.js';

const UNITS = { hours: 3_600_000, days: 86_400_000 } as const;
type Unit = keyof typeof UNITS;

function toMs(amount: string, unit: Unit): number | null {
  const n = Number(amount);
  return amount.trim() !== '' && Number.isFinite(n) && n >= 0 ? Math.round(n * UNITS[unit]) : null;
}

export function ArmDeadmanDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const firstRef = useRef<HTMLInputElement>(null);
  const client = useQueryClient();
  const [interval, setIntervalText] = useState('7');
  const [intervalUnit, setIntervalUnit] = useState<Unit>('days');
  const [grace, setGrace] = useState('1');
  const [graceUnit, setGraceUnit] = useState<Unit>('days');
  const [releaseDir, setReleaseDir] = useState('');
  const [heirs, setHeirs] = useState<HeirDraft[]>([{ name: '', recipient: '' }]);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [withRecoveryKey, setWithRecoveryKey] = useState(false);
  const source = useKeySource();
  const credentialInput = useCredentialInput({
    source,
    idPrefix: `${id}-cred`,
    passphraseLabel: 'Your passphrase (to seal the recovery key)',
  });
  const [localError, setLocalError] = useState<string | null>(null);
  const memories = useQuery({
    queryKey: [...queryKeys.memoriesAll, 'deadman-choice'],
    queryFn: () => unwrap(vault().listMemories({ limit: 500 })),
  });
  const arm = useAuditedMutation(queryKeys.deadman, {
    mutationFn: (input: ArmDeadmanInput) => unwrap(vault().armDeadman(input)),
    onSuccess: () => {
      // The touch moved the key's counter and last use.
      void client.invalidateQueries({ queryKey: queryKeys.securityKeys });
      onClose();
    },
  });
  const toggle = (memoryId: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(memoryId);
    else next.delete(memoryId);
    setChosen(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const intervalMs = toMs(interval, intervalUnit);
    const graceMs = toMs(grace, graceUnit);
    if (intervalMs === null || intervalMs < 60_000) return setLocalError('The check-in interval must be a number (at least a minute).');
    if (graceMs === null) return setLocalError('The grace period must be a number (0 or more).');
    const named = heirs.map((h) => ({ name: h.name.trim(), recipient: h.recipient.trim() })).filter((h) => h.name || h.recipient);
    if (named.length === 0) return setLocalError('Name at least one heir with their age recipient (age1…).');
    if (chosen.size === 0 && !withRecoveryKey)
      return setLocalError('Choose at least one memory to seal for your heirs, or a recovery key.');
    const credential = credentialInput.credential;
    if (withRecoveryKey && credential === null) return setLocalError('Enter your credential to seal a recovery key.');
    setLocalError(null);
    arm.mutate({
      intervalMs,
      graceMs,
      releaseDir: releaseDir.trim(),
      heirs: named,
      memoryIds: [...chosen],
      ...(withRecoveryKey && credential ? { recoveryKey: { credential } } : {}),
    });
  };
  const busy = arm.isPending;
  return (
    <Modal labelledBy={`${id}-title`} initialFocus={firstRef} onEscape={() => !busy && onClose()} className="modal-wide">
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>Arm the dead-man switch</h2>
        <fieldset disabled={busy}>
          <legend>When</legend>
          <div className="inline-fields">
            <label htmlFor={`${id}-int`}>Check in every</label>
            <input
              ref={firstRef}
              id={`${id}-int`}
              inputMode="decimal"
              size={5}
              value={interval}
              onChange={(e) => setIntervalText(e.target.value)}
            />
            <UnitSelect id={`${id}-int-unit`} label="Interval unit" value={intervalUnit} onChange={setIntervalUnit} />
          </div>
          <div className="inline-fields">
            <label htmlFor={`${id}-grace`}>Grace period after a missed check-in</label>
            <input id={`${id}-grace`} inputMode="decimal" size={5} value={grace} onChange={(e) => setGrace(e.target.value)} />
            <UnitSelect id={`${id}-grace-unit`} label="Grace period unit" value={graceUnit} onChange={setGraceUnit} />
          </div>
          <label htmlFor={`${id}-dir`}>Release folder</label>
          <input
            id={`${id}-dir`}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-dir-hint`}
            value={releaseDir}
            onChange={(e) => setReleaseDir(e.target.value)}
          />
          <p id={`${id}-dir-hint`} className="hint">
            A full path on this computer (e.g. a synced folder your heirs can reach). One encrypted file per heir is written there on
            release.
          </p>
        </fieldset>
        <fieldset disabled={busy}>
          <legend>Heirs</legend>
          <HeirRows heirs={heirs} onChange={setHeirs} />
        </fieldset>
        <fieldset disabled={busy} className="deadman-memories">
          <legend>Memories to seal</legend>
          {memories.isPending && <Loading label="Loading memories…" />}
          {memories.error && <ErrorNotice error={memories.error} />}
          {memories.data?.length === 0 && <p className="muted">The vault has no memories yet.</p>}
          {memories.data?.map((m) => (
            <label key={m.id} className="checkbox-row">
              <input type="checkbox" checked={chosen.has(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} />
              <LevelBadge level={m.level} />
              {`${m.title} (${m.namespace})`}
            </label>
          ))}
          <p className="hint">Memories at level 3 and above ask for your approval as they are sealed, as any recall does.</p>
        </fieldset>
        <fieldset disabled={busy}>
          <legend>Recovery key</legend>
          <label className="checkbox-row">
            <input type="checkbox" checked={withRecoveryKey} onChange={(e) => setWithRecoveryKey(e.target.checked)} />
            Also seal a recovery key: with a copy of the vault folder, your heirs can open the whole vault
          </label>
          {withRecoveryKey && credentialInput.fields}
        </fieldset>
        {busy && (
          <TouchPrompt>Touch your security key now to arm the switch, then approve any sealed memory as it is packaged.</TouchPrompt>
        )}
        {localError && (
          <p className="state state-error" role="alert">
            {localError}
          </p>
        )}
        {arm.error && <ErrorNotice error={arm.error} prefix="Not armed" />}
        <div className="modal-actions">
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? 'Waiting for the key…' : 'Arm with my security key'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

function UnitSelect({ id, label, value, onChange }: { id: string; label: string; value: Unit; onChange: (u: Unit) => void }) {
  return (
    <select id={id} aria-label={label} value={value} onChange={(e) => onChange(e.target.value === 'hours' ? 'hours' : 'days')}>
      <option value="hours">hours</option>
      <option value="days">days</option>
    </select>
  );
}
