// Structured JSON logs (pino). Invariant: no secret, token, passphrase, key or memory content can
// be logged — known-sensitive paths are redacted by pino, and log calls pass only ids, codes,
// counts and durations. A canary test scans the log file after exercising every error path.
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';

export type VaultLogger = Logger;

/** Paths pino censors wherever they appear (one level of nesting, plus top level). */
export const REDACT_PATHS = [
  'content',
  'contentBase64',
  'passphrase',
  'token',
  'keyfile',
  'keyfileBase64',
  'key',
  'secret',
  'params',
  'justification',
  '*.content',
  '*.contentBase64',
  '*.passphrase',
  '*.token',
  '*.keyfile',
  '*.keyfileBase64',
  '*.key',
  '*.secret',
  '*.params',
  '*.justification',
];

export function createLogger(options: { destination: 'stderr' | { file: string }; level?: string }): VaultLogger {
  let fd = 2;
  if (options.destination !== 'stderr') {
    mkdirSync(dirname(options.destination.file), { recursive: true, mode: 0o700 });
    fd = openSync(options.destination.file, 'a', 0o600);
  }
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'memory-vault' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Error objects are reduced to name + code: messages may quote input.
      serializers: {
        err: (e: unknown) => ({
          type: e instanceof Error ? e.name : typeof e,
          code: typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined,
        }),
      },
    },
    pino.destination({ fd, sync: true }),
  );
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): VaultLogger {
  return pino({ level: 'silent' });
}
