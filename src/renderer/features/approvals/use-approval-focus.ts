// A click on an approval notification: main focuses the window and asks for the dialog. The
// keyboard focus goes to the dialog's safe default (Deny), so the next key press acts on the
// request the owner came back for and not on whatever field had the focus before.
import { useEffect } from 'react';
import { vault } from '../../lib/bridge.js';

export function focusApprovalDialog(): boolean {
  const dialog = document.querySelector<HTMLElement>('[role="alertdialog"]');
  if (!dialog) return false;
  const deny = [...dialog.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === 'Deny');
  (deny ?? dialog).focus();
  return true;
}

export function useApprovalFocusRequests(): void {
  useEffect(
    () =>
      vault().onApprovalFocusRequested(() => {
        // The dialog may mount a frame after the pushed list arrives.
        if (!focusApprovalDialog()) requestAnimationFrame(() => void focusApprovalDialog());
      }),
    [],
  );
}
