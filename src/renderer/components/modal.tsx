// An accessible modal: focus moves to `initialFocus` on open, Tab cycles inside, Escape calls
// onEscape, and focus returns to where it was on close. A click on the panel's background would
// drop the focus to <body> (outside the trap, where Tab starts from the page again): focus then
// goes back to `initialFocus`, the dialog's safe default.
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';

interface ModalProps {
  readonly labelledBy: string;
  readonly describedBy?: string;
  readonly role?: 'dialog' | 'alertdialog';
  readonly initialFocus: RefObject<HTMLElement | null>;
  readonly onEscape: () => void;
  readonly children: ReactNode;
  readonly className?: string;
}

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Modal({ labelledBy, describedBy, role = 'dialog', initialFocus, onEscape, children, className }: ModalProps) {
  const panel = useRef<HTMLDivElement>(null);
  const escape = useRef(onEscape);
  escape.current = onEscape;

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    initialFocus.current?.focus();
    return () => previous?.focus();
  }, [initialFocus]);

  const onBlur = (e: React.FocusEvent) => {
    if (e.relatedTarget !== null) return; // focus moves to another element: Tab handles the trap
    requestAnimationFrame(() => {
      const p = panel.current;
      if (p?.isConnected && (document.activeElement === document.body || document.activeElement === null)) initialFocus.current?.focus();
    });
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      escape.current();
      return;
    }
    if (e.key !== 'Tab' || !panel.current) return;
    const items = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="modal-backdrop">
      <div
        ref={panel}
        className={`modal${className ? ` ${className}` : ''}`}
        role={role}
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      >
        {children}
      </div>
    </div>
  );
}
