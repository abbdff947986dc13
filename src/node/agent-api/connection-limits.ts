// Resource caps of the agent socket, so that no number of idle, slow or greedy clients can grow
// the server without bound: connections, the time a new connection has to log in, requests run
// at once per connection, and request bytes parked (received but not yet handled) per connection
// and across all of them. Each cap hit answers with the stable code RATE_LIMITED (or UNAUTHORIZED
// for a missed login deadline) and is stated in `status` (vault.status → limits). They are enforced
// by the shared line transport, src/node/rpc/line-rpc-server.ts.
export interface AgentConnectionLimits {
  /** Open connections on the agent socket; the next one is answered RATE_LIMITED and closed. */
  readonly maxConnections: number;
  /** A new connection that has not logged in by then is closed. */
  readonly loginDeadlineMs: number;
  /**
   * Frame size before a successful auth.login (whose frame is tiny). Without it every idle,
   * unauthenticated connection could hold a whole 2 MiB partial line: 300 of them took `serve`
   * from 96 MB to 733 MB.
   */
  readonly maxUnauthenticatedFrameBytes: number;
  /** Requests handled at once per connection; later frames wait (are parked) in arrival order. */
  readonly maxInFlightPerConnection: number;
  /** Bytes of parked frames per connection; a frame that would exceed it is refused RATE_LIMITED. */
  readonly maxParkedBytesPerConnection: number;
  /** Parked frames and partial lines across every connection; past it the sending connection is closed. */
  readonly maxParkedBytesTotal: number;
  /** A connection with nothing received, sent or running for this long is closed; 0 (default): never,
   *  since an agent may legitimately hold a quiet connection between tasks. */
  readonly idleTimeoutMs: number;
  /** Reply bytes waiting for a client that does not read them; past it the connection is not read from until they drain. */
  readonly maxUnwrittenBytes: number;
}

export const DEFAULT_AGENT_CONNECTION_LIMITS: AgentConnectionLimits = {
  maxConnections: 1024,
  loginDeadlineMs: 10_000,
  maxUnauthenticatedFrameBytes: 16 * 1024,
  maxInFlightPerConnection: 64,
  maxParkedBytesPerConnection: 4 * 1024 * 1024,
  maxParkedBytesTotal: 64 * 1024 * 1024,
  idleTimeoutMs: 0,
  maxUnwrittenBytes: 8 * 1024 * 1024,
};
