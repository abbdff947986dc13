// A local stand-in for the Agent-OS boundary daemon speaking its wire protocol for real: a Unix
// socket in a temp dir, one JSON line in, one JSON line out. Policy as in the reference guide:
// level 3 needs a non-ONLINE mode, level 4 AIRGAP or COLDROOM, level 5 COLDROOM.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FakeMode = 'ONLINE' | 'OFFLINE' | 'AIRGAP' | 'COLDROOM';

export interface FakeDaemon {
  readonly socketPath: string;
  mode: FakeMode;
  /** 'garbage': answer every command with text that is not JSON; 'silent': never answer. */
  behaviour: 'normal' | 'garbage' | 'silent' | 'wrong-shape';
  readonly requests: { command: string; params: Record<string, unknown> }[];
  knownAgents: Set<string>;
  /** What `human_presence` answers (the daemon's user-presence sensor). */
  humanPresent: boolean;
  deniedActions: Set<string>;
  kill(): Promise<void>;
  cleanup(): Promise<void>;
}

function verdict(mode: FakeMode, level: number): { permitted: boolean; reason: string } {
  if (level <= 2) return { permitted: true, reason: 'low classification' };
  if (level === 3)
    return mode === 'ONLINE'
      ? { permitted: false, reason: 'Network interface active: level 3 requires OFFLINE' }
      : { permitted: true, reason: `mode ${mode}` };
  if (level === 4) {
    return mode === 'AIRGAP' || mode === 'COLDROOM'
      ? { permitted: true, reason: `mode ${mode}` }
      : { permitted: false, reason: `Network interface active in ${mode} mode: level 4 requires AIRGAP` };
  }
  return mode === 'COLDROOM' ? { permitted: true, reason: 'COLDROOM' } : { permitted: false, reason: 'Level 5 requires COLDROOM' };
}

/** `at`: listen on this path (its directory must exist; cleanup leaves it) instead of a fresh temp dir. */
export async function startFakeDaemon(opts: { at?: string } = {}): Promise<FakeDaemon> {
  const dir = opts.at === undefined ? mkdtempSync(join(tmpdir(), 'mv-boundary-')) : null;
  const socketPath = opts.at ?? join(dir ?? '', 'boundary.sock');
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const daemon: FakeDaemon = {
    socketPath,
    mode: 'ONLINE',
    behaviour: 'normal',
    requests: [],
    knownAgents: new Set(['agent-known']),
    humanPresent: true,
    deniedActions: new Set(['delete']),
    async kill() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = null;
    },
    async cleanup() {
      await daemon.kill();
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
      else rmSync(socketPath, { force: true });
    },
  };
  const answer = (line: string): string | null => {
    if (daemon.behaviour === 'silent') return null;
    if (daemon.behaviour === 'garbage') return 'permitted: yes please\n';
    const req = JSON.parse(line) as { command: string; params: Record<string, unknown> };
    daemon.requests.push(req);
    if (daemon.behaviour === 'wrong-shape') return `${JSON.stringify({ permitted: 'true', mode: 42 })}\n`;
    const p = req.params;
    switch (req.command) {
      case 'check_recall':
        return `${JSON.stringify({ success: true, ...verdict(daemon.mode, Number(p.memory_class)) })}\n`;
      case 'get_mode':
      case 'status':
        return `${JSON.stringify({ success: true, mode: daemon.mode })}\n`;
      case 'human_presence':
        return `${JSON.stringify({ present: daemon.humanPresent, reason: daemon.humanPresent ? 'badge seen at the console' : 'no one at the console' })}\n`;
      case 'verify_agent': {
        const ok = daemon.knownAgents.has(String(p.agent_id));
        return `${JSON.stringify({ verified: ok, reason: ok ? 'registered agent' : 'unknown agent' })}\n`;
      }
      case 'request_permission': {
        const ok = !daemon.deniedActions.has(String(p.action));
        return `${JSON.stringify({ permitted: ok, reason: ok ? 'constitution allows' : `constitution forbids ${String(p.action)}` })}\n`;
      }
      default:
        return `${JSON.stringify({ success: false, error: 'unknown command' })}\n`;
    }
  };
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = '';
    socket.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const reply = answer(buf.slice(0, nl));
      if (reply !== null) socket.end(reply);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server?.listen(socketPath, resolve));
  return daemon;
}
