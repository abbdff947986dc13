// How core code talks to an Agent-OS daemon without knowing about sockets: one command, one
// JSON reply. The Unix-socket transport lives in src/node/integrations.

export type DaemonParam = string | number | boolean | null;

/** Raised by a channel when the daemon cannot be asked or answers something that is not JSON. */
export class DaemonUnavailableError extends Error {
  override readonly name = 'DaemonUnavailableError';
  constructor(
    /** 'untrusted': the socket exists but its ownership or permissions rule it out (not asked). */
    readonly kind: 'not-found' | 'refused' | 'timeout' | 'malformed' | 'io' | 'untrusted',
    message: string,
  ) {
    super(message);
  }
}

export interface DaemonChannel {
  /** Where the daemon is ("unix socket /home/me/.agent-os/api/boundary.sock"). */
  readonly description: string;
  /** Send `{"command": command, "params": params}`; resolve with the parsed (untrusted) reply. */
  request(command: string, params: Readonly<Record<string, DaemonParam>>): Promise<unknown>;
}

/**
 * Daemon replies end up in audit events and terminals: keep them short and free of control
 * characters so a hostile daemon cannot forge log lines or terminal escapes.
 */
export function cleanDaemonText(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
