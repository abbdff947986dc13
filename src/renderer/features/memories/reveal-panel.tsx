// Explicit reveal. Level ≥ 3 asks for the passphrase again; the plaintext lives only in this
// component's state and is dropped when the panel closes or another memory is selected.
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { MemorySummaryDto } from '../../../shared/memory.dto.js';
import { Button } from '../../components/button.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';

export function RevealPanel({ memory }: { memory: MemorySummaryDto }) {
  const id = useId();
  const needsPass = memory.level >= 3;
  const [passphrase, setPassphrase] = useState('');
  const reveal = useMutation({
    mutationFn: () => unwrap(vault().revealMemory({ memoryId: memory.id, ...(needsPass ? { passphrase } : {}) })),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reveal.mutate();
  };
  if (reveal.data) {
    return (
      <section className="reveal" aria-label="Revealed content">
        <pre data-testid="revealed-content">{reveal.data.content}</pre>
        <Button onClick={() => reveal.reset()}>Hide</Button>
      </section>
    );
  }
  return (
    <form className="reveal" onSubmit={submit}>
      {needsPass && (
        <>
          <label htmlFor={`${id}-pass`}>Passphrase (required for level {memory.level})</label>
          <input
            id={`${id}-pass`}
            type="password"
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </>
      )}
      {reveal.error && <ErrorNotice error={reveal.error} />}
      <Button type="submit" disabled={memory.tombstoned || reveal.isPending || (needsPass && passphrase.length === 0)}>
        Reveal content
      </Button>
    </form>
  );
}
