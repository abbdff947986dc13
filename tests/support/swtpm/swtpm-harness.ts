// Test-only harness: one private swtpm (TPM 2.0 simulator) per test file, in a temp state dir,
// on free ports, spawned WITHOUT --daemon so that we own its PID and can await its exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { canConnect, findFreePortPair } from './free-port.js';

export { swtpmAvailability, swtpmAvailable } from './availability.js';

export interface ToolResult {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SwtpmInstance {
  /** TCTI string for tpm2-tools / TpmSealer: `swtpm:host=127.0.0.1,port=P`. */
  readonly tcti: string;
  readonly port: number;
  readonly ctrlPort: number;
  readonly stateDir: string;
  readonly pid: number;
  /**
   * Simulated reboot: TPM2_Shutdown(CLEAR) (skipped with `orderly: false`, i.e. power loss),
   * TPM reset over the ctrl channel (`swtpm_ioctl -i`, PCRs 0-15 reset), TPM2_Startup(CLEAR).
   */
  reboot(options?: { orderly?: boolean }): Promise<void>;
  /** SIGTERM by PID, await exit, remove the state dir. Idempotent. */
  stop(): Promise<void>;
  /** Runs a tpm2-tools command against this swtpm (never rejects). */
  tool(name: string, args: readonly string[]): Promise<ToolResult>;
}

const READY_TIMEOUT_MS = 10_000;

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function spawnOnce(stateDir: string): Promise<{ child: ChildProcess; port: number } | { error: string }> {
  const port = await findFreePortPair();
  const child = spawn(
    'swtpm',
    [
      'socket',
      '--tpm2',
      '--tpmstate',
      `dir=${stateDir}`,
      '--server',
      `type=tcp,port=${port},bindaddr=127.0.0.1`,
      '--ctrl',
      `type=tcp,port=${port + 1},bindaddr=127.0.0.1`,
      '--flags',
      'not-need-init,startup-clear',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  let spawnError: string | undefined;
  child.once('error', (e) => {
    spawnError = e.message;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError) return { error: spawnError };
    if (child.exitCode !== null || child.signalCode !== null) return { error: `swtpm exited early: ${stderr.trim()}` };
    // Probe the CTRL port only: the server port has a single client slot.
    if (await canConnect(port + 1)) return { child, port };
    await sleep(5);
  }
  child.kill('SIGKILL');
  await waitExit(child);
  return { error: 'swtpm did not open its control port in time' };
}

export async function startSwtpm(): Promise<SwtpmInstance> {
  const stateDir = await mkdtemp(join(tmpdir(), 'mv-swtpm-'));
  let started: { child: ChildProcess; port: number } | undefined;
  let lastError = '';
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    const r = await spawnOnce(stateDir); // a port race with another worker → retry on new ports
    if ('error' in r) lastError = r.error;
    else started = r;
  }
  if (!started || started.child.pid === undefined) {
    await rm(stateDir, { recursive: true, force: true });
    throw new Error(`Could not start swtpm: ${lastError}`);
  }
  const { child, port } = started;
  const pid = started.child.pid;
  const ctrlPort = port + 1;
  const tcti = `swtpm:host=127.0.0.1,port=${port}`;
  // If the test process dies without stop(), do not leave a simulator behind.
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);

  const tool = async (name: string, args: readonly string[]): Promise<ToolResult> => {
    const r = await execa(name, args, { env: { TPM2TOOLS_TCTI: tcti }, reject: false, stdin: 'ignore' });
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  };

  let stopped: Promise<void> | undefined;
  return {
    tcti,
    port,
    ctrlPort,
    stateDir,
    pid,
    tool,
    async reboot(options = {}) {
      // A normal reboot shuts the TPM down orderly; a reset without it (power loss) makes the TPM
      // count one dictionary-attack failure at the next startup.
      if (options.orderly !== false) {
        const down = await tool('tpm2_shutdown', ['-c']);
        if (down.exitCode !== 0) throw new Error(`tpm2_shutdown -c failed: ${down.stderr}`);
      }
      const init = await execa('swtpm_ioctl', ['--tcp', `127.0.0.1:${ctrlPort}`, '-i'], { reject: false });
      if (init.failed) throw new Error(`swtpm_ioctl -i failed: ${init.stderr}`);
      const up = await tool('tpm2_startup', ['-c']);
      if (up.exitCode !== 0) throw new Error(`tpm2_startup -c failed: ${up.stderr}`);
    },
    stop() {
      stopped ??= (async () => {
        process.removeListener('exit', onExit);
        const exited = waitExit(child);
        process.kill(pid, 'SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
        await rm(stateDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
