// Shared by the issue-19 agent tests: a recording Unix-socket proxy (every byte both ways
// between an agent client and the agent socket), the encodings a canary scan looks for, and an
// in-process fixture with a logger writing to a file.
import { readFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { CommandAllowlist } from '../../src/node/agent-api/command-allowlist.service.js';
import { createLogger } from '../../src/node/logging/logger.js';
import { startServerFixture, type ServerFixture } from '../agent-api/agent-fixture.js';

export interface RecordingProxy {
  readonly path: string;
  /** Every chunk seen, client→server and server→client. */
  readonly chunks: Buffer[];
  close(): Promise<void>;
}

export async function recordingProxy(target: string, path: string): Promise<RecordingProxy> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target);
    sockets.add(client).add(upstream);
    client.on('data', (d: Buffer) => {
      chunks.push(Buffer.from(d));
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      chunks.push(Buffer.from(d));
      client.write(d);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(path, r));
  return {
    path,
    chunks,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** The forms a leaked value could take in a frame or a log line (JSON-escaped forms included via the raw check on decoded JSON). */
export function leakFormsOf(secret: string): string[] {
  const b = Buffer.from(secret, 'utf8');
  return [
    secret,
    b.toString('base64'),
    b.toString('base64').replace(/=+$/, ''),
    b.toString('base64url'),
    encodeURIComponent(secret),
    b.toString('hex'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

/** The forms of `secret` found in `haystack` (empty: no leak). */
export function leaksIn(haystack: string, secret: string): string[] {
  return leakFormsOf(secret).filter((f) => haystack.includes(f));
}

export interface UseFixture extends ServerFixture {
  readonly logFile: string;
  readonly allowlist: CommandAllowlist;
  logText(): string;
}

export async function startUseFixture(opts: { approvalTimeoutMs?: number } = {}): Promise<UseFixture> {
  const logDir = `/tmp/mv-use-log-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const logFile = join(logDir, 'server.log');
  const logger = createLogger({ destination: { file: logFile }, level: 'trace' });
  const f = await startServerFixture({
    ...(opts.approvalTimeoutMs ? { approvalTimeoutMs: opts.approvalTimeoutMs } : {}),
    server: { logger },
  });
  const allowlist = new CommandAllowlist(f.session.tables.agentCommands, f.session.engine, f.server.registry);
  return {
    ...f,
    logFile,
    allowlist,
    logText: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
  };
}
