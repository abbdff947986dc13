// The security-key step of a level-5 release (an agent's approved recall, or the owner's own
// reveal), driven by the CTAP2/HID driver in main. Main pushes every state change of the attempt
// (`key:touch-status`); the window answers with the owner's PIN, Cancel (main sends CTAPHID
// CANCEL), Retry or Close. Invariant: nothing secret crosses here — a state, the key's name, who
// asked for which memory (the title only where the inbox's title rule allows), a deadline, and
// an error code with plain words.
import { z } from 'zod';
import { eventContract, invokeContract, noArgs } from './contract.js';
import { ipcErrorCodeSchema } from './errors.contract.js';
import { levelSchema } from './memory.dto.js';

export const touchStateSchema = z.enum([
  /** No FIDO device plugged in yet. */
  'insert-key',
  /** The key has a PIN: the window asks for it (`submitPin`). */
  'enter-pin',
  /** The key is waiting for user presence (keepalive UPNEEDED): "touch it now". */
  'touch-key',
  /** The key is working (keepalive PROCESSING). */
  'processing',
  'succeeded',
  /** Ended without a secret; `error` says why, `canRetry` whether Retry is offered. */
  'failed',
  'timed-out',
  'cancelled',
]);
export type TouchState = z.infer<typeof touchStateSchema>;

export const touchAttemptSchema = z
  .object({
    attemptId: z.string().uuid(),
    purpose: z.enum(['agent-recall', 'owner-reveal', 'other']),
    /** The agent's name (neutralised by the renderer), "You" for the owner's reveal, null when unknown. */
    requester: z.string().max(200).nullable(),
    memory: z
      .object({
        shortId: z.string().max(64),
        level: levelSchema,
        /** Null where the title rule hides it (level ≥ 3 unless the owner opted in). */
        title: z.string().max(500).nullable(),
      })
      .strict()
      .nullable(),
    state: touchStateSchema,
    /** The enrolled key being asked (known once the key has been found). */
    keyName: z.string().max(200).nullable(),
    startedAt: z.number(),
    /** When this attempt gives up waiting for a touch (epoch ms); null once it has ended. */
    deadline: z.number().nullable(),
    /** A wrong PIN asks again: the retries left, when the key reported them. */
    pinRetries: z.number().int().min(0).nullable(),
    error: z
      .object({ code: ipcErrorCodeSchema, message: z.string().max(1000) })
      .strict()
      .nullable(),
    canRetry: z.boolean(),
  })
  .strict();
export type TouchAttemptDto = z.infer<typeof touchAttemptSchema>;

const attemptRef = z.object({ attemptId: z.string().uuid() }).strict();
/** A FIDO2 PIN is 4–63 UTF-8 bytes (CTAP 2.1 §6.5.5.5); the key itself checks the rest. */
export const keyPinSchema = z.string().min(4).max(63);

export const keyTouchContracts = {
  /** Attempts that are running or wait for the owner's Retry/Close (oldest first). */
  current: invokeContract('key:current', noArgs, z.array(touchAttemptSchema)),
  cancel: invokeContract('key:cancel', attemptRef, touchAttemptSchema),
  submitPin: invokeContract('key:submit-pin', attemptRef.extend({ pin: keyPinSchema }).strict(), touchAttemptSchema),
  retry: invokeContract('key:retry', attemptRef, touchAttemptSchema),
  /** Give up after a failure (the waiting recall is refused with the failure's code). */
  dismiss: invokeContract('key:dismiss', attemptRef, touchAttemptSchema),
} as const;

/** Pushed by main on every change of an attempt's state. */
export const keyTouchStatusEvent = eventContract('key:touch-status', z.object({ attempt: touchAttemptSchema }).strict());
