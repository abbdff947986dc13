// First run (create a vault) and unlock. The passphrase goes to main and is never stored here.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, vault } from '../../lib/bridge.js';
import { queryKeys } from '../../lib/query-keys.js';
import { PassphraseForm } from './passphrase-form.js';

function useGateMutation(run: (passphrase: string) => ReturnType<Window['vault']['unlock']>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (passphrase: string) => unwrap(run(passphrase)),
    onSuccess: (status) => {
      client.setQueryData(queryKeys.status, status);
      void client.invalidateQueries();
    },
  });
}

export function FirstRunScreen({ vaultDir }: { vaultDir: string }) {
  const m = useGateMutation((passphrase) => vault().createVault({ passphrase }));
  return (
    <PassphraseForm
      title="Create your vault"
      intro={`No vault exists yet in ${vaultDir}. Choose a passphrase: it encrypts everything and cannot be recovered if lost.`}
      submitLabel="Create vault"
      busyLabel="Creating…"
      confirm
      busy={m.isPending}
      error={m.error}
      onSubmit={(p) => m.mutate(p)}
    />
  );
}

export function UnlockScreen() {
  const m = useGateMutation((passphrase) => vault().unlock({ passphrase }));
  return (
    <PassphraseForm
      title="Unlock Memory Vault"
      intro="Agents cannot recall anything that needs your approval while the vault is locked."
      submitLabel="Unlock"
      busyLabel="Unlocking…"
      confirm={false}
      busy={m.isPending}
      error={m.error}
      onSubmit={(p) => m.mutate(p)}
    />
  );
}
