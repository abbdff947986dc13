// Threat (issue 13): a memory's content carries escape sequences (an agent stored them; content
// is opaque bytes, so the store cannot refuse them) and `memory-vault recall` wrote them raw to
// the owner's terminal, which then acts on them (clear screen, cursor moves, OSC 52 clipboard
// writes). Now: on a terminal the content is shown neutralised (`\x1b[2J` as text); a pipe, `--raw`
// and `--json` still get the exact bytes.
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliVault, type CliVault } from '../agent-api/cli-process.js';

const ESC = '\u001b';
const CONTENT = Buffer.from(`before${ESC}[2J${ESC}]52;c;bWFsaWNpb3Vz\u0007after\u202e.txt\nline two\n`, 'utf8');

/** `memory-vault <args>` with stdout on a pseudo-terminal (util-linux `script`); what the terminal received. */
function onPty(v: CliVault, args: string[]): Promise<{ code: number | null; bytes: Buffer }> {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: v.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  child.stdin.end();
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, bytes: Buffer.concat(chunks) })));
}

let v: CliVault;
let id = '';

beforeAll(() => {
  v = cliVault();
  // Stored by the owner here for brevity; an agent's memory.store puts the same bytes in the vault.
  const r = spawnSync(process.execPath, [BIN, '--json', 'store', '--level', '1', '--title', 'pasted notes'], {
    env: v.env,
    input: CONTENT,
  });
  const parsed: unknown = JSON.parse(r.stdout.toString('utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('result' in parsed) ||
    typeof parsed.result !== 'object' ||
    parsed.result === null ||
    !('id' in parsed.result) ||
    typeof parsed.result.id !== 'string'
  ) {
    throw new Error(`store failed: ${r.stderr.toString('utf8')}`);
  }
  id = parsed.result.id;
}, 60_000);

afterAll(() => v?.remove());

describe('recalled content with escape sequences', () => {
  it('on a terminal, ESC[2J, OSC 52 and U+202E are shown escaped, never sent raw', async () => {
    const r = await onPty(v, ['recall', id]);
    expect(r.code).toBe(0);
    expect(r.bytes.includes(0x1b)).toBe(false);
    expect(r.bytes.includes(0x07)).toBe(false);
    expect(r.bytes.includes(Buffer.from('\u202e', 'utf8'))).toBe(false);
    const text = r.bytes.toString('utf8');
    expect(text).toContain('before\\x1b[2J\\x1b]52;c;bWFsaWNpb3Vz\\x07after\\u202e.txt');
    expect(text).toContain('line two'); // newlines stay newlines
    expect(text).toContain('--raw');
  }, 60_000);

  it('to a pipe the content is byte-exact', () => {
    const r = spawnSync(process.execPath, [BIN, 'recall', id], { env: v.env, input: '' });
    expect(r.status).toBe(0);
    expect(Buffer.compare(r.stdout, CONTENT)).toBe(0);
  });

  it('--raw writes the exact bytes even to a terminal', async () => {
    const r = await onPty(v, ['recall', '--raw', id]);
    expect(r.code).toBe(0);
    expect(r.bytes.includes(Buffer.from(`before${ESC}[2J`, 'utf8'))).toBe(true);
  }, 60_000);

  it('--json on a terminal carries the exact value, with no raw ESC byte', async () => {
    const r = await onPty(v, ['--json', 'recall', id]);
    expect(r.code).toBe(0);
    expect(r.bytes.includes(0x1b)).toBe(false);
    const doc: unknown = JSON.parse(r.bytes.toString('utf8'));
    expect(doc).toMatchObject({ ok: true, result: { content: CONTENT.toString('utf8') } });
  }, 60_000);
});
