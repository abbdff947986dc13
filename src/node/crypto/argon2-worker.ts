// Worker-thread entry: runs Argon2id (core's in-thread primitive) so that the event loop, which
// serves every agent, never blocks for a derivation. Invariant: the passphrase bytes and the
// derived key are zeroed in this thread once answered; the key leaves only as a transferred
// buffer (no copy stays here); nothing about the passphrase is logged or put in a reply.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { basename } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { deriveFromPassphraseBytes } from '../../core/crypto/passphrase-kdf.js';
import { argon2RequestSchema, requestIdSchema, type Argon2Reply } from './argon2-protocol.js';

const port = parentPort;
if (port === null) throw new Error('argon2-worker runs only as a worker thread');

// On Linux the nice value belongs to a thread, not the process: lowering this thread's lets the
// event loop win the core whenever the machine is busy, so agents are answered first. Nice 5,
// not more: on a saturated machine each step costs a derivation CPU share (nice 10 made an
// unlock ~7× slower at load 12 on two cores; nice 5 still tripled the agent answers served
// during owner guesses compared with nice 0). On an idle machine it changes nothing. Best
// effort: elsewhere (or without /proc) the worker runs at normal priority.
function lowerThisThreadsPriority(): void {
  try {
    const tid = Number(basename(readlinkSync('/proc/thread-self')));
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) setPriority(tid, 5);
  } catch {
    /* not Linux, or not permitted: normal priority */
  }
}
lowerThisThreadsPriority();

async function answer(raw: unknown): Promise<{ reply: Argon2Reply; transfer: ArrayBuffer[] }> {
  const req = argon2RequestSchema.safeParse(raw);
  if (!req.success) {
    const id = requestIdSchema.safeParse(raw);
    return { reply: { id: id.success ? id.data.id : 0, ok: false, error: { code: 'INTERNAL', message: 'Malformed key-derivation request.' } }, transfer: [] };
  }
  const { id, passphrase, params } = req.data;
  let derived: Buffer | undefined;
  try {
    derived = await deriveFromPassphraseBytes(passphrase, params);
    // A fresh ArrayBuffer of exactly 32 bytes: transferable, unlike Node's pooled Buffer slab.
    const key = new Uint8Array(derived.length);
    key.set(derived);
    return { reply: { id, ok: true, key }, transfer: [key.buffer] };
  } catch {
    // libsodium's messages say nothing secret, but a fixed text keeps that true by construction.
    return { reply: { id, ok: false, error: { code: 'INTERNAL', message: 'Key derivation failed.' } }, transfer: [] };
  } finally {
    passphrase.fill(0);
    derived?.fill(0);
  }
}

// One request at a time per worker (the pool never sends a second before the first is answered).
port.on('message', (raw: unknown) => {
  void answer(raw).then(({ reply, transfer }) => port.postMessage(reply, transfer));
});
