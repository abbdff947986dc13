// Revealed plaintext on screen: it hides itself after REVEAL_VISIBLE_MS (a shoulder-surfer or an
// unattended screen sees it for a minute at most), and Copy goes through main, which clears the
// clipboard after its timeout if it still holds this text. The countdowns are shown so neither
// surprises the owner.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from '../../components/button.js';
import { useNow } from '../../components/countdown.js';
import { ErrorNotice } from '../../components/states.js';
import { formatRemaining } from '../../lib/format.js';
import { unwrap, vault } from '../../lib/bridge.js';

export const REVEAL_VISIBLE_MS = 60_000;

export function RevealedContent({ content, onHide }: { content: string; onHide: () => void }) {
  const [hideAt] = useState(() => Date.now() + REVEAL_VISIBLE_MS);
  const [clearsAt, setClearsAt] = useState<number | null>(null);
  const now = useNow();
  const copy = useMutation({
    // No cache entry outlives the call: the text is in the request only.
    gcTime: 0,
    mutationFn: () => unwrap(vault().copySecret({ text: content })),
    onSuccess: (r) => setClearsAt(Date.now() + r.clearsInMs),
  });
  const left = hideAt - now;
  useEffect(() => {
    if (left <= 0) onHide();
  }, [left, onHide]);
  const clearing = clearsAt !== null && clearsAt > now;
  return (
    <section className="reveal" aria-label="Revealed content">
      <pre data-testid="revealed-content">{content}</pre>
      <div className="copy-row">
        <Button onClick={onHide}>Hide</Button>
        <Button onClick={() => copy.mutate()} disabled={copy.isPending}>
          Copy
        </Button>
        <span className="muted" data-testid="reveal-hides-in">{`Hides in ${formatRemaining(left)}`}</span>
      </div>
      <p className="hint" role="status" data-testid="clipboard-status">
        {clearing ? `Copied. The clipboard is cleared in ${formatRemaining(clearsAt - now)} if it still holds this text.` : ''}
        {clearsAt !== null && !clearing ? 'The clipboard was cleared.' : ''}
      </p>
      {copy.error && <ErrorNotice error={copy.error} prefix="Could not copy" />}
    </section>
  );
}
