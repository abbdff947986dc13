// Loading, empty and error states look the same everywhere.
import { errorText } from '../lib/bridge.js';

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

export function ErrorNotice({ error, prefix }: { error: unknown; prefix?: string }) {
  return (
    <p className="state state-error" role="alert">
      {prefix ? `${prefix}: ` : ''}
      {errorText(error)}
    </p>
  );
}
