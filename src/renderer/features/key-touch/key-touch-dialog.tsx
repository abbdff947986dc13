// "Insert and touch your security key": shown while main runs a level-5 key step (an agent's
// approved recall, or the owner's own reveal). Every state comes from main (key:touch-status),
// which talks to the key over CTAP2/HID: insert → PIN (when the key has one) → touch now
// (the key's keepalive says it waits for presence) → done; or timed out / wrong key / wrong PIN
// with Retry, or cancelled. Cancel asks main to abort, which sends CTAPHID CANCEL to the key.
// The attempt names who asked for which memory; the title only where main's title rule allows.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { neutraliseLine } from '../../../shared/agent-text.js';
import type { TouchAttemptDto } from '../../../shared/key-touch.contract.js';
import { Button } from '../../components/button.js';
import { useNow } from '../../components/countdown.js';
import { LevelBadge } from '../../components/level-badge.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { useKeyTouchAttempts } from './use-key-touch.js';

const RUNNING = new Set<TouchAttemptDto['state']>(['insert-key', 'enter-pin', 'touch-key', 'processing']);

/** The oldest attempt the owner has not closed; a succeeded one closes by itself. */
export function KeyTouchDialog() {
  const attempts = useKeyTouchAttempts();
  const [closed, setClosed] = useState<ReadonlySet<string>>(() => new Set());
  const shown = attempts.find((a) => a.state !== 'succeeded' && !closed.has(a.attemptId));
  if (!shown) return null;
  return <KeyTouchPanel key={shown.attemptId} attempt={shown} onClosed={() => setClosed((s) => new Set([...s, shown.attemptId]))} />;
}

function KeyTouchPanel({ attempt, onClosed }: { attempt: TouchAttemptDto; onClosed: () => void }) {
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const retryRef = useRef<HTMLButtonElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const running = RUNNING.has(attempt.state);
  const act = useMutation({
    mutationFn: (what: 'cancel' | 'retry' | 'dismiss') => {
      const ref = { attemptId: attempt.attemptId };
      return unwrap(
        what === 'cancel' ? vault().cancelKeyTouch(ref) : what === 'retry' ? vault().retryKeyTouch(ref) : vault().dismissKeyTouch(ref),
      );
    },
  });
  const close = () => {
    if (running || attempt.canRetry) act.mutate('dismiss');
    onClosed();
  };

  // Focus follows the step: the PIN field, Retry after a failure, Cancel while waiting.
  useEffect(() => {
    if (attempt.state === 'enter-pin') pinRef.current?.focus();
    else if (!running && attempt.canRetry) retryRef.current?.focus();
    else cancelRef.current?.focus();
  }, [attempt.state, attempt.canRetry, running]);

  return (
    <Modal
      role="alertdialog"
      labelledBy={`${id}-title`}
      describedBy={`${id}-state`}
      initialFocus={cancelRef}
      onEscape={() => (running ? act.mutate('cancel') : close())}
      className="key-touch-dialog"
    >
      <div data-testid="key-touch-dialog" data-state={attempt.state}>
        <header className="modal-header">
          <h2 id={`${id}-title`}>Security key needed</h2>
        </header>
        <WhoAsked attempt={attempt} />
        <StateView attempt={attempt} stateId={`${id}-state`} pinRef={pinRef} />
        {act.error && <ErrorNotice error={act.error} />}
        <footer className="modal-actions">
          {running ? (
            <Button ref={cancelRef} variant="danger" disabled={act.isPending} onClick={() => act.mutate('cancel')}>
              Cancel
            </Button>
          ) : (
            <>
              <Button ref={cancelRef} onClick={close}>
                Close
              </Button>
              {attempt.canRetry && (
                <Button ref={retryRef} variant="primary" disabled={act.isPending} onClick={() => act.mutate('retry')}>
                  Retry
                </Button>
              )}
            </>
          )}
        </footer>
      </div>
    </Modal>
  );
}

function WhoAsked({ attempt }: { attempt: TouchAttemptDto }) {
  const m = attempt.memory;
  const memory = m ? (
    <>
      <LevelBadge level={m.level} /> <code>{m.shortId}</code>
      {m.title !== null && <> “{neutraliseLine(m.title)}”</>}
    </>
  ) : (
    'a level-5 memory'
  );
  return (
    <p className="key-touch-who" data-testid="key-touch-who">
      {attempt.purpose === 'agent-recall' ? (
        <>
          You approved <strong>{neutraliseLine(attempt.requester ?? 'an agent')}</strong>’s recall of {memory}. Its content stays sealed
          until your security key answers.
        </>
      ) : attempt.purpose === 'owner-reveal' ? (
        <>You are revealing {memory}: it is sealed to your security key.</>
      ) : (
        <>The vault needs your security key for {memory}.</>
      )}
    </p>
  );
}

function StateView({
  attempt,
  stateId,
  pinRef,
}: {
  attempt: TouchAttemptDto;
  stateId: string;
  pinRef: React.RefObject<HTMLInputElement | null>;
}) {
  const key = attempt.keyName !== null ? `“${neutraliseLine(attempt.keyName)}”` : 'your security key';
  switch (attempt.state) {
    case 'insert-key':
      return <Step id={stateId} text="Insert your security key." attempt={attempt} />;
    case 'processing':
      return <Step id={stateId} text="Talking to your security key…" attempt={attempt} />;
    case 'touch-key':
      return <Step id={stateId} text="Touch your security key now." attempt={attempt} urgent />;
    case 'enter-pin':
      return (
        <>
          <Step id={stateId} text={`Enter the PIN of ${key}.`} attempt={attempt} />
          <PinForm attempt={attempt} pinRef={pinRef} />
        </>
      );
    case 'succeeded':
      return (
        <p id={stateId} className="key-touch-state" role="status">
          Done: the key answered.
        </p>
      );
    case 'failed':
    case 'timed-out':
    case 'cancelled':
      return (
        <div id={stateId} className="key-touch-failure" role="alert" data-testid="key-touch-error">
          <p>
            <strong>
              {attempt.state === 'timed-out' ? 'Timed out' : attempt.state === 'cancelled' ? 'Cancelled' : 'The key step failed'}
            </strong>
            {attempt.error && <> — {attempt.error.message}</>}
          </p>
          {attempt.error && (
            <p className="muted">
              Code <code>{attempt.error.code}</code>
              {!attempt.canRetry && ' · nothing was released'}
            </p>
          )}
        </div>
      );
    default: {
      const never: never = attempt.state;
      return never;
    }
  }
}

/** One running step: what to do now, and how long the key is given. */
function Step({ id, text, attempt, urgent = false }: { id: string; text: string; attempt: TouchAttemptDto; urgent?: boolean }) {
  return (
    <div className={`key-touch-step${urgent ? ' key-touch-now' : ''}`}>
      <p id={id} className="key-touch-state" role="status" data-testid="key-touch-state">
        {urgent && <span className="key-touch-pulse" aria-hidden="true" />}
        {text}
      </p>
      {attempt.deadline !== null && <TimeLeft deadline={attempt.deadline} />}
    </div>
  );
}

function TimeLeft({ deadline }: { deadline: number }) {
  const now = useNow(250);
  // The window the key was given, as first seen for this deadline (a Retry brings a new one).
  const [span, setSpan] = useState({ deadline, total: Math.max(1, deadline - Date.now()) });
  if (span.deadline !== deadline) setSpan({ deadline, total: Math.max(1, deadline - Date.now()) });
  const left = Math.max(0, deadline - now);
  const seconds = Math.ceil(left / 1000);
  return (
    <div className="key-touch-progress">
      <progress max={span.total} value={left} aria-label="Time left for the security key" />
      <span className="muted">{seconds} s left</span>
    </div>
  );
}

function PinForm({ attempt, pinRef }: { attempt: TouchAttemptDto; pinRef: React.RefObject<HTMLInputElement | null> }) {
  const id = useId();
  const [pin, setPin] = useState('');
  const submit = useMutation({
    mutationFn: (value: string) => unwrap(vault().submitKeyPin({ attemptId: attempt.attemptId, pin: value })),
    onSuccess: () => setPin(''),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (pin.length >= 4) submit.mutate(pin);
  };
  return (
    <form className="key-pin-form" onSubmit={onSubmit}>
      <label htmlFor={`${id}-pin`}>Security key PIN</label>
      <input
        ref={pinRef}
        id={`${id}-pin`}
        type="password"
        autoComplete="off"
        minLength={4}
        maxLength={63}
        value={pin}
        onChange={(e) => setPin(e.target.value)}
      />
      {attempt.pinRetries !== null && <p className="muted">{attempt.pinRetries} attempt(s) left before the key locks.</p>}
      {submit.error && <ErrorNotice error={submit.error} />}
      <Button type="submit" variant="primary" disabled={pin.length < 4 || submit.isPending}>
        Continue
      </Button>
    </form>
  );
}
