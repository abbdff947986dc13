// Recovery: rotate the vault's keys, and escrow a recovery key with people you trust.
import { EscrowPanel } from './escrow-panel.js';
import { RotatePanel } from './rotate-panel.js';

export function RecoveryScreen() {
  return (
    <>
      <RotatePanel />
      <EscrowPanel />
    </>
  );
}
