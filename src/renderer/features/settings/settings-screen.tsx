// Settings kept inside the vault: auto-lock (applies at once), approval expiry (engine
// configuration: applies to requests made after the next unlock — the screen says which value
// is live until then) and whether sealed titles may appear in notifications (off by default).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { DesktopSettingsDto, SettingsViewDto } from '../../../shared/settings.contract.js';
import { APPROVAL_EXPIRY_SECONDS, AUTO_LOCK_MINUTES } from '../../../shared/settings-limits.js';
import { Button } from '../../components/button.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';

export function SettingsScreen() {
  const id = useId();
  const settings = useQuery({ queryKey: queryKeys.settings, queryFn: () => unwrap(vault().getSettings()) });
  return (
    <section className="card settings" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Settings</h2>
      {settings.isPending && <Loading label="Loading settings…" />}
      {settings.error && <ErrorNotice error={settings.error} />}
      {settings.data && <SettingsForm view={settings.data} />}
    </section>
  );
}

function inRange(value: string, bounds: { min: number; max: number }): number | null {
  const n = Number(value);
  return value.trim() !== '' && Number.isInteger(n) && n >= bounds.min && n <= bounds.max ? n : null;
}

function SettingsForm({ view }: { view: SettingsViewDto }) {
  const id = useId();
  const client = useQueryClient();
  const [autoLock, setAutoLock] = useState(String(view.saved.autoLockMinutes));
  const [expiry, setExpiry] = useState(String(view.saved.approvalExpirySeconds));
  const [sealedTitles, setSealedTitles] = useState(view.saved.notifySealedTitles === true);
  const [localError, setLocalError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (next: DesktopSettingsDto) => unwrap(vault().updateSettings(next)),
    onSuccess: (saved) => client.setQueryData(queryKeys.settings, saved),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const autoLockMinutes = inRange(autoLock, AUTO_LOCK_MINUTES);
    const approvalExpirySeconds = inRange(expiry, APPROVAL_EXPIRY_SECONDS);
    if (autoLockMinutes === null)
      return setLocalError(`Auto-lock must be a whole number of minutes from ${AUTO_LOCK_MINUTES.min} to ${AUTO_LOCK_MINUTES.max}.`);
    if (approvalExpirySeconds === null)
      return setLocalError(
        `Approval expiry must be a whole number of seconds from ${APPROVAL_EXPIRY_SECONDS.min} to ${APPROVAL_EXPIRY_SECONDS.max}.`,
      );
    setLocalError(null);
    save.mutate({ autoLockMinutes, approvalExpirySeconds, ...(sealedTitles ? { notifySealedTitles: true } : {}) });
  };
  const active = Math.round(view.activeApprovalExpirySeconds * 10) / 10;
  return (
    <form onSubmit={submit} noValidate>
      <IntegerField
        id={`${id}-lock`}
        label="Auto-lock after (minutes idle)"
        range={AUTO_LOCK_MINUTES}
        value={autoLock}
        onChange={setAutoLock}
        hint={`When this computer has had no input for this long, the vault locks and wipes its keys. Screen lock and suspend always lock it at once. ${AUTO_LOCK_MINUTES.min}–${AUTO_LOCK_MINUTES.max} minutes; applies immediately.`}
      />
      <IntegerField
        id={`${id}-exp`}
        label="Approval requests expire after (seconds)"
        range={APPROVAL_EXPIRY_SECONDS}
        value={expiry}
        onChange={setExpiry}
        hint={`An agent's request that you do not answer in time is refused. ${APPROVAL_EXPIRY_SECONDS.min}–${APPROVAL_EXPIRY_SECONDS.max} seconds. A new value applies to requests made after the next unlock.`}
      />
      <p
        className={`banner ${view.approvalExpiryAppliesAtNextUnlock ? 'banner-warn' : 'banner-neutral'}`}
        data-testid="approval-expiry-live"
      >
        {view.approvalExpiryAppliesAtNextUnlock
          ? `Until you lock and unlock the vault, new approval requests still expire after ${active} seconds; ${view.saved.approvalExpirySeconds} seconds applies from the next unlock.`
          : `New approval requests expire after ${active} seconds.`}
      </p>
      <p className="checkbox-row">
        <input
          id={`${id}-titles`}
          type="checkbox"
          aria-describedby={`${id}-titles-hint`}
          checked={sealedTitles}
          onChange={(e) => setSealedTitles(e.target.checked)}
        />
        <label htmlFor={`${id}-titles`}>Show titles of level 3–5 memories in notifications</label>
      </p>
      <p id={`${id}-titles-hint`} className="hint">
        Off by default: a notification can appear on the lock screen, so it then names only the agent and the level.
      </p>
      {localError && (
        <p className="state state-error" role="alert">
          {localError}
        </p>
      )}
      {!localError && save.error && <ErrorNotice error={save.error} />}
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save settings'}
        </Button>
        <span role="status" className="muted">
          {save.isSuccess ? 'Settings saved.' : ''}
        </span>
      </div>
    </form>
  );
}

/** A labelled whole-number input with its hint (the hint is the input's description). */
function IntegerField(props: {
  id: string;
  label: string;
  range: { readonly min: number; readonly max: number };
  value: string;
  onChange: (value: string) => void;
  hint: string;
}) {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode="numeric"
        min={props.range.min}
        max={props.range.max}
        step={1}
        aria-describedby={`${props.id}-hint`}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <p id={`${props.id}-hint`} className="hint">
        {props.hint}
      </p>
    </>
  );
}
