// Explicit reveal. Level ≥ 3 asks for the vault's own credential again (passphrase, keyfile or
// TPM PIN); the plaintext lives only in this
// component's state and is dropped when the panel closes or another memory is selected.
import { useMutation } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import type { MemorySummaryDto } from '../../../shared/memory.dto.js';
import { Button } from '../../components/button.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { submitLabelFor, useCredentialInput, useKeySource } from '../vault/credential-fields.js';

export function RevealPanel({ memory }: { memory: MemorySummaryDto }) {
  const id = useId();
  const needsPass = memory.level >= 3;
  const source = useKeySource();
  const input = useCredentialInput({ source, idPrefix: id, passphraseLabel: `Passphrase (required for level ${memory.level})` });
  const credential = needsPass ? input.credential : null;
  const reveal = useMutation({
    mutationFn: () => unwrap(vault().revealMemory({ memoryId: memory.id, ...(credential ? { credential } : {}) })),
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
      {needsPass && input.fields}
      {reveal.error && <ErrorNotice error={reveal.error} />}
      <Button type="submit" disabled={memory.tombstoned || reveal.isPending || (needsPass && credential === null)}>
        {needsPass ? submitLabelFor(source, 'Reveal content') : 'Reveal content'}
      </Button>
    </form>
  );
}
