// Register the plugged-in FIDO2 key: name it, give its PIN if it has one, then touch it. While
// main waits for the touch, Cancel stops the exchange (main sends CTAPHID CANCEL to the key).
import { useId, useRef, useState, type FormEvent } from 'react';
import { Button } from '../../components/button.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useAuditedMutation } from '../../lib/use-audited-mutation.js';
import { TouchPrompt } from './touch-prompt.js';

export function RegisterKeyDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const register = useAuditedMutation(queryKeys.securityKeys, {
    mutationFn: (input: { name: string; pin?: string }) => unwrap(vault().registerSecurityKey(input)),
    onSuccess: onClose,
  });
  const cancel = () => {
    if (register.isPending) void vault().cancelSecurityKeyRegistration();
    else onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate({ name: name.trim(), ...(pin.length > 0 ? { pin } : {}) });
  };
  return (
    <Modal labelledBy={`${id}-title`} initialFocus={nameRef} onEscape={cancel}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>Register a security key</h2>
        <p className="muted">Plug in only the key you want to register. You will be asked to touch it.</p>
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          ref={nameRef}
          id={`${id}-name`}
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          disabled={register.isPending}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor={`${id}-pin`}>Key PIN (only if your key has one)</label>
        <input
          id={`${id}-pin`}
          type="password"
          autoComplete="off"
          maxLength={63}
          disabled={register.isPending}
          aria-describedby={`${id}-pin-hint`}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
        <p id={`${id}-pin-hint`} className="hint">
          A key with a PIN is registered with it, and level-5 recalls will ask for it too.
        </p>
        {register.isPending && <TouchPrompt>Touch your security key now to register it.</TouchPrompt>}
        {register.error && <ErrorNotice error={register.error} prefix="Not registered" />}
        <div className="modal-actions">
          <Button onClick={cancel}>{register.isPending ? 'Cancel registration' : 'Cancel'}</Button>
          <Button type="submit" variant="primary" disabled={name.trim().length === 0 || register.isPending}>
            {register.isPending ? 'Waiting for the key…' : 'Register'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
