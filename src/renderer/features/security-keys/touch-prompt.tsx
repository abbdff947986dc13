// "Touch your security key" while main waits for the key: the call that needs the touch is
// pending, so this shows for exactly as long as the key is being asked (a live region, so a
// screen reader announces it).
export function TouchPrompt({ children }: { children: React.ReactNode }) {
  return (
    <div className="touch-prompt" role="status" aria-live="polite">
      <span className="touch-prompt-icon" aria-hidden="true" />
      <p>{children}</p>
    </div>
  );
}
