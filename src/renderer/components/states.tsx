// Loading, empty and error states look the same everywhere.
import { BridgeError, errorText } from '../lib/bridge.js';
import { adviceFor } from '../lib/error-advice.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status">
      {label}
    </p>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** The message, then what to do about it and the error code (for support and the audit log). */
export function ErrorNotice({ error, prefix }: { error: unknown; prefix?: string }) {
  const code = error instanceof BridgeError ? error.code : null;
  const advice = code ? adviceFor(code) : '';
  return (
    <p className="state state-error" role="alert">
      {prefix ? `${prefix}: ` : ''}
      {errorText(error)}
      {advice && (
        <>
          {' '}
          <span className="error-advice">{advice}</span> <code className="error-code">{code}</code>
        </>
      )}
    </p>
  );
}
