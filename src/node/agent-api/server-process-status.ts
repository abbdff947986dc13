// What `memory-vault status` says of a running server's own process (issue 17 item 3: `serve` RSS
// stated in `status`): its resident memory and heap, uptime, and the connections it holds. Owner
// channel only — an agent's vault.health stays free of server-wide figures, since RSS and
// connection counts move with other agents' traffic.
import { z } from 'zod';

const count = z.number().int().nonnegative();

/** The shape on the owner socket; the CLI parses what a server sent with it. */
export const serverProcessStatusSchema = z.object({
  pid: z.number().int().positive(),
  rssBytes: count,
  heapUsedBytes: count,
  /** Buffers outside the V8 heap (socket buffers, decrypted pages handed to JS). */
  externalBytes: count,
  uptimeSeconds: count,
  agentConnections: count,
  ownerConnections: count,
});
export type ServerProcessStatus = z.infer<typeof serverProcessStatusSchema>;

export function serverProcessStatus(connections: { agent: number; owner: number }): ServerProcessStatus {
  const m = process.memoryUsage();
  return {
    pid: process.pid,
    rssBytes: m.rss,
    heapUsedBytes: m.heapUsed,
    externalBytes: m.external,
    uptimeSeconds: Math.round(process.uptime()),
    agentConnections: connections.agent,
    ownerConnections: connections.owner,
  };
}
