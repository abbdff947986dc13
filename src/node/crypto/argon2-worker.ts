// Worker-thread entry: runs the two kinds of key stretching in argon2-protocol.ts — the vault's
// Argon2id (core's in-thread primitive) and the owner's OPAQUE registration (the library's own
// Argon2id) — so that the event loop, which serves every agent, never blocks for one and never
// grows its memory by one. Invariant: the passphrase or credential bytes and the derived key are
// zeroed in this thread once answered; the key leaves only as a transferred buffer (no copy stays
// here); nothing about the passphrase is logged or put in a reply (failures are fixed texts).
import { parentPort } from 'node:worker_threads';
import { deriveFromPassphraseBytes } from '../../core/crypto/passphrase-kdf.js';
import { lowerThisThreadsPriority } from '../workers/thread-priority.js';
import { requestIdSchema, workRequestSchema, type Work, type WorkReply, type WorkResult } from './argon2-protocol.js';

const port = parentPort;
if (port === null) throw new Error('argon2-worker runs only as a worker thread');

// Lowered priority: the event loop wins the core on a busy machine (workers/thread-priority.ts).
lowerThisThreadsPriority();

interface Answer {
  readonly result: WorkResult;
  readonly transfer: ArrayBuffer[];
}

async function deriveKey(work: Extract<Work, { kind: 'argon2id' }>): Promise<Answer> {
  let derived: Buffer | undefined;
  try {
    derived = await deriveFromPassphraseBytes(work.passphrase, work.params);
    // A fresh ArrayBuffer of exactly 32 bytes: transferable, unlike Node's pooled Buffer slab.
    const key = new Uint8Array(derived.length);
    key.set(derived);
    return { result: { kind: 'argon2id', key }, transfer: [key.buffer] };
  } finally {
    derived?.fill(0);
  }
}

async function registerOwner(work: Extract<Work, { kind: 'opaque-registration' }>): Promise<Answer> {
  // Loaded on the first registration only: a worker that only unlocks never loads OPAQUE's wasm.
  const { registerOwnerInThisThread } = await import('../owner-channel/opaque-registration.js');
  const { serverSetup, record } = await registerOwnerInThisThread(work.password);
  return { result: { kind: 'opaque-registration', serverSetup, record }, transfer: [] };
}

/** The secret bytes a piece of work carries, zeroed once it is answered. */
function secretOf(work: Work): Uint8Array {
  return work.kind === 'argon2id' ? work.passphrase : work.password;
}

const FAILED: Record<Work['kind'], string> = {
  argon2id: 'Key derivation failed.',
  'opaque-registration': 'The owner-channel registration failed.',
};

async function answer(raw: unknown): Promise<{ reply: WorkReply; transfer: ArrayBuffer[] }> {
  const req = workRequestSchema.safeParse(raw);
  if (!req.success) {
    const id = requestIdSchema.safeParse(raw);
    return {
      reply: { id: id.success ? id.data.id : 0, ok: false, error: { code: 'INTERNAL', message: 'Malformed key-derivation request.' } },
      transfer: [],
    };
  }
  const { id, work } = req.data;
  try {
    const { result, transfer } = work.kind === 'argon2id' ? await deriveKey(work) : await registerOwner(work);
    return { reply: { id, ok: true, result }, transfer };
  } catch {
    // libsodium's and OPAQUE's messages say nothing secret, but a fixed text keeps that true by construction.
    return { reply: { id, ok: false, error: { code: 'INTERNAL', message: FAILED[work.kind] } }, transfer: [] };
  } finally {
    secretOf(work).fill(0);
  }
}

// One request at a time per worker (the pool never sends a second before the first is answered).
port.on('message', (raw: unknown) => {
  void answer(raw).then(({ reply, transfer }) => port.postMessage(reply, transfer));
});
