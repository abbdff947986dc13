// The one time a token is shown. Copy uses the Clipboard API, falling back to copying the
// selected field (the Electron window refuses permission requests, clipboard ones included).
import { useId, useRef, useState } from 'react';
import type { CreatedAgentDto } from '../../../shared/agents.contract.js';
import { Button } from '../../components/button.js';
import { LevelBadge } from '../../components/level-badge.js';
import { Modal } from '../../components/modal.js';

type CopyState = 'idle' | 'copied' | 'failed';

export function TokenDialog({ created, onClose }: { created: CreatedAgentDto; onClose: () => void }) {
  const id = useId();
  const copyRef = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');

  const copyToken = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopy('copied');
    } catch {
      field.current?.select();
      setCopy(document.execCommand('copy') ? 'copied' : 'failed');
    }
  };

  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-warn`} initialFocus={copyRef} onEscape={onClose}>
      <h2 id={`${id}-title`}>{`Token for ${created.agent.name}`}</h2>
      <p className="approval-memory">
        <LevelBadge level={created.agent.maxLevel} />{' '}
        <span>{created.agent.namespaces ? `Namespaces: ${created.agent.namespaces.join(', ')}` : 'All namespaces'}</span>
      </p>
      <p id={`${id}-warn`} className="banner banner-warn">
        You will not see this token again. Copy it now and give it to the agent (for example as MEMORY_VAULT_TOKEN). The vault keeps only
        its hash.
      </p>
      <label htmlFor={`${id}-token`}>Token</label>
      <input
        ref={field}
        id={`${id}-token`}
        className="token-field"
        readOnly
        spellCheck={false}
        value={created.token}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="copy-row">
        <Button ref={copyRef} onClick={() => void copyToken()}>
          Copy token
        </Button>
        <span role="status" className={copy === 'failed' ? 'copy-failed' : 'muted'}>
          {copy === 'copied'
            ? 'Copied to the clipboard.'
            : copy === 'failed'
              ? 'Could not copy: select the token and copy it yourself.'
              : ''}
        </span>
      </div>
      <div className="modal-actions">
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      </div>
    </Modal>
  );
}
