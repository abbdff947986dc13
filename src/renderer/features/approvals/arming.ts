// The arming interval: how long Approve ignores the owner after a dialog appears or switches to
// another request. A second click of a double click, or a click already on its way when the
// request under the pointer changed, lands inside it and does nothing (issue 13 deliverable 2).
import { useEffect, useState } from 'react';

export const ARMING_MS = 700;

/** False for ARMING_MS after mount; the dialog is remounted for every request it shows. */
export function useArmed(ms: number = ARMING_MS): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setArmed(true), ms);
    return () => clearTimeout(t);
  }, [ms]);
  return armed;
}
