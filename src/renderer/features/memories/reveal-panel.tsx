// Explicit reveal. Level ≥ 3 asks for the vault's own credential again (passphrase, keyfile or
// TPM PIN); the plaintext lives only in this component's state and is dropped when the panel
// closes, another memory is selected, or a minute has passed (revealed-content.tsx).
import { useMutation } from '@tanstack/react-query';
import { useCallback, useId, type FormEvent } from 'react';
import type { MemorySummaryDto } from '../../../shared/memory.dto.js';
import { Button } from '../../components/button.js';
import { ErrorNotice } from '../../components/states.js';
import { unwrap, vault } from '../../lib/bridge.js';
import { RevealedContent } from './revealed-content.js';
import { submitLabelFor, useCredentialInput, useKeySource } from '../vault/credential-fields.js';

export function RevealPanel({ memory }: { memory: MemorySummaryDto }) {
  const id = useId();
  const needsPass = memory.level >= 3;
  const source = useKeySource();
  const input = useCredentialInput({ source, idPrefix: id, passphraseLabel: `Passphrase (required for level ${memory.level})` });
  const credential = needsPass ? input.credential : null;
  const reveal = useMutation({
    // The plaintext must not outlive the panel in react-query's mutation cache (default: 5 min).
    gcTime: 0,
    mutationFn: () => unwrap(vault().revealMemory({ memoryId: memory.id, ...(credential ? { credential } : {}) })),
  });
  const { reset } = reveal;
  const hide = useCallback(() => reset(), [reset]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reveal.mutate();
  };
  if (reveal.data) {
    return <RevealedContent content={reveal.data.content} onHide={hide} />;
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
