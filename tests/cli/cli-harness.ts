// Spawns the real compiled CLI (`node bin/memory-vault.js`) against temporary vault directories.
// The test command builds first (`npm run build:node && npx vitest run tests/cli`); if dist/ is
// missing, importing this module fails with a message saying so.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect } from 'vitest';
import { EXIT_CODES } from '../../src/cli/io/exit-codes.js';
import type { ErrorCode } from '../../src/core/errors.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO_ROOT, 'bin', 'memory-vault.js');
const DIST_MAIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');

if (!existsSync(DIST_MAIN)) {
  throw new Error(`tests/cli need the compiled CLI, but ${DIST_MAIN} is missing: run \`npm run build:node\` first.`);
}

/** Every stored content contains this; no failing call may ever print it. */
export const CANARY = 'mv-canary-5f1e0c7d';

export const PASSPHRASE = 'correct horse battery staple';

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Environment on top of the sandbox's (PATH, HOME, XDG_DATA_HOME, passphrase file). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly input?: string | Buffer;
}

export interface Sandbox {
  /** Temp root: holds the passphrase file, keyfiles, HOME and XDG_DATA_HOME. */
  readonly root: string;
  /** Default vault directory passed with --vault by `vcli`. */
  readonly vault: string;
  readonly passphraseFile: string;
  readonly env: Readonly<Record<string, string>>;
  /** Run the CLI with exactly these arguments. */
  cli(args: readonly string[], opts?: CliOptions): Promise<CliResult>;
  /** Run `--vault <vault> --json ...args`. */
  vcli(args: readonly string[], opts?: CliOptions): Promise<CliResult>;
  cleanup(): void;
}

export function createSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'mv-cli-test-'));
  const passphraseFile = join(root, 'passphrase.txt');
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(root, 'home'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
    MEMORY_VAULT_PASSPHRASE_FILE: passphraseFile,
  };
  const vault = join(root, 'vault');
  const cli = (args: readonly string[], opts: CliOptions = {}) => runCli(args, { ...env, ...opts.env }, opts.input);
  return {
    root,
    vault,
    passphraseFile,
    env,
    cli,
    vcli: (args, opts) => cli(['--vault', vault, '--json', ...args], opts),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

async function runCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
  input: string | Buffer | undefined,
): Promise<CliResult> {
  const cleanEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) cleanEnv[k] = v;
  const r = await execa(process.execPath, [BIN, ...args], {
    env: cleanEnv,
    extendEnv: false,
    // A new session has no controlling terminal: /dev/tty cannot be opened, so the CLI behaves
    // exactly as it does under a script or a service (no owner to ask).
    detached: true,
    input: input ?? '',
    reject: false,
    stripFinalNewline: false,
    timeout: 60_000,
  });
  if (r.exitCode === undefined) throw new Error(`CLI did not exit normally (${r.signal ?? 'no signal'}): ${args.join(' ')}`);
  const result: CliResult = { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  // Errors never carry stored content, whatever the command.
  if (result.exitCode !== 0) {
    expect(result.stdout, `stdout of failing \`${args.join(' ')}\``).not.toContain(CANARY);
    expect(result.stderr, `stderr of failing \`${args.join(' ')}\``).not.toContain(CANARY);
  }
  return result;
}

function parseSingleJson(stdout: string): unknown {
  expect(stdout.endsWith('\n'), 'JSON output ends with a newline').toBe(true);
  const lines = stdout.trimEnd().split('\n');
  expect(lines, 'exactly one JSON document on stdout').toHaveLength(1);
  return JSON.parse(stdout) as unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Assert `{ ok: true, result }` (and nothing else) with exit 0; return `result`. */
export function expectOk(r: CliResult): unknown {
  if (r.exitCode !== 0) throw new Error(`expected success, got exit ${r.exitCode}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  const doc = parseSingleJson(r.stdout);
  if (!isRecord(doc)) throw new Error(`not a JSON object: ${r.stdout}`);
  expect(Object.keys(doc).sort()).toEqual(['ok', 'result']);
  expect(doc.ok).toBe(true);
  return doc.result;
}

export interface CliError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** Assert `{ ok: false, error: { code, message, details } }` on stdout and the code's exit status. */
export function expectError(r: CliResult, code: ErrorCode): CliError {
  const doc = parseSingleJson(r.stdout);
  expect(doc).toEqual({ ok: false, error: { code, message: expect.any(String), details: expect.any(Object) } });
  expect(r.exitCode, `exit code for ${code}`).toBe(EXIT_CODES[code]);
  const error = (doc as { error: CliError }).error;
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

/** Assert a human-mode failure: `error CODE: sentence` on stderr, nothing on stdout. */
export function expectHumanError(r: CliResult, code: ErrorCode): void {
  expect(r.exitCode).toBe(EXIT_CODES[code]);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: .+\\n$`));
}

// ---- shapes -----------------------------------------------------------------------------

export interface Summary {
  readonly id: string;
  readonly shortId: string;
  readonly namespace: string;
  readonly level: number;
  readonly title: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly intentRef: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string | null;
  readonly cooldownSeconds: number;
  readonly tombstoned: boolean;
  readonly size: number;
}

const SUMMARY_KEYS = [
  'cooldownSeconds',
  'createdAt',
  'createdBy',
  'expiresAt',
  'id',
  'intentRef',
  'level',
  'metadata',
  'namespace',
  'shortId',
  'size',
  'tags',
  'title',
  'tombstoned',
];

/** A memory summary: exactly these keys, never content. */
export function asSummary(v: unknown): Summary {
  if (!isRecord(v)) throw new Error(`not a memory summary: ${JSON.stringify(v)}`);
  expect(Object.keys(v).sort()).toEqual(SUMMARY_KEYS);
  expect(v.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(v.shortId).toBe(String(v.id).replace(/-/g, '').slice(0, 8));
  expect(typeof v.createdAt).toBe('string');
  return v as unknown as Summary;
}

export function asSummaries(v: unknown): Summary[] {
  if (!Array.isArray(v)) throw new Error(`not a list: ${JSON.stringify(v)}`);
  return v.map(asSummary);
}

export interface StoreArgs {
  readonly level: number;
  readonly title: string;
  readonly content: string | Buffer;
  readonly extra?: readonly string[];
}

/** Store through stdin and return the summary. */
export async function store(sb: Sandbox, a: StoreArgs): Promise<Summary> {
  const r = await sb.vcli(['store', '--level', String(a.level), '--title', a.title, ...(a.extra ?? [])], { input: a.content });
  const s = asSummary(expectOk(r));
  expect(s.level).toBe(a.level);
  expect(s.title).toBe(a.title);
  return s;
}

export async function initVault(sb: Sandbox, dir: string = sb.vault): Promise<void> {
  expectOk(await sb.cli(['--vault', dir, '--json', 'init', '--kdf-memory', '8', '--kdf-ops', '1']));
}

// ---- files ------------------------------------------------------------------------------

export interface FileSnapshot {
  readonly mode: number;
  readonly sha256: string;
  readonly size: number;
}

/** name → mode and content hash of every entry in a directory. */
export function snapshotDir(dir: string): Record<string, FileSnapshot> {
  const out: Record<string, FileSnapshot> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    out[name] = { mode: st.mode & 0o777, size: st.size, sha256: createHash('sha256').update(readFileSync(p)).digest('hex') };
  }
  return out;
}

/** Directory 0700 and every file in it 0600. */
export function expectPrivateVaultDir(dir: string): void {
  expect(statSync(dir).mode & 0o777, `mode of ${dir}`).toBe(0o700);
  const names = readdirSync(dir);
  expect(names).toContain('vault.json');
  expect(names).toContain('vault.db');
  for (const name of names) {
    const st = statSync(join(dir, name));
    expect(st.isFile(), `${name} is a regular file`).toBe(true);
    expect(st.mode & 0o777, `mode of ${name}`).toBe(0o600);
  }
  // Only the known vault files live here (no stray temp or lock files after a command exits);
  // checkpoint.json is the signed tree head recorded outside the database (AUDIT-FORMAT §11).
  for (const name of names) expect(['vault.json', 'vault.db', 'vault.db-wal', 'vault.db-shm', 'checkpoint.json']).toContain(name);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
