// The side channel between the crash harness (tests/support/crash) and its vault-server child
// (crash-load-child.ts): the child's configuration on argv, and one stdout line per event. The
// child prints an `ack` line only after the operation's promise resolved, so every ack names a
// change the vault told its caller was done; the parent, which SIGKILLs the child at a random
// moment, then checks each of them against the reopened vault. Both ends parse what they read.
import { z } from 'zod';

/** Justifications the child's owner gate answers; anything else is denied (fail closed). */
export const JUSTIFY = {
  approveWithGrant: 'crash-harness: approve with grant',
  approve: 'crash-harness: approve',
  deny: 'crash-harness: deny',
} as const;

/** Minutes of the level-3 grant the owner gate gives for `approveWithGrant`. */
export const GRANT_MINUTES = 10;

export const childConfigSchema = z
  .object({
    dir: z.string().min(1),
    /** A file holding the passphrase (not argv: argv is visible to every local user). */
    passphraseFile: z.string().min(1),
    /** Owner work the child runs in a loop while agents load it: tombstones and dead-man check-ins. */
    tombstones: z.boolean(),
    checkIns: z.boolean(),
    /** Pause between owner operations (ms), so the owner's writes interleave with the agents'. */
    ownerPauseMs: z.number().int().min(0).max(10_000),
    /** Rotate the vault's keys (rewrap) before serving, printing each step, so the parent can kill inside it. */
    rotate: z.boolean(),
  })
  .strict();
export type ChildConfig = z.infer<typeof childConfigSchema>;

export const childLineSchema = z.union([
  z.object({ event: z.literal('listening'), pid: z.number().int(), agentSocket: z.string() }).strict(),
  /** The owner stored this memory (it becomes a tombstone target). */
  z.object({ event: z.literal('ack'), op: z.literal('owner-store'), memoryId: z.string(), content: z.string() }).strict(),
  z.object({ event: z.literal('ack'), op: z.literal('tombstone'), memoryId: z.string() }).strict(),
  /** A dead-man check-in committed, with the deadline it returned (epoch ms). */
  z.object({ event: z.literal('ack'), op: z.literal('checkin'), deadline: z.number().int() }).strict(),
  z.object({ event: z.literal('rotation-phase'), phase: z.string() }).strict(),
  /** rotateProfileKey resolved: the header's key is now `to` (a key fingerprint). */
  z.object({ event: z.literal('ack'), op: z.literal('rotation'), rotationId: z.string(), to: z.string() }).strict(),
  /** The owner gate answered a request (the answer is not yet audited: the agent's ack is what counts). */
  z.object({ event: z.literal('decided'), requestId: z.string(), approve: z.boolean() }).strict(),
  z.object({ event: z.literal('failed'), message: z.string() }).strict(),
]);
export type ChildLine = z.infer<typeof childLineSchema>;
