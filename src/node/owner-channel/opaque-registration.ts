// The owner's OPAQUE registration, both halves, in the calling thread. Only the key-stretching
// worker thread calls registerOwnerInThisThread (src/node/crypto/argon2-worker.ts): the client
// half runs the library's Argon2id (64 MiB of WebAssembly memory that never shrinks, ~1 s of
// CPU), which must neither stall the event loop nor stay resident in the server. Everything
// else uses registerOwner in opaque-pake.ts, which sends the credential here.
// Invariant: the credential arrives as bytes that are zeroed here before this returns, whatever
// happens; no error carries it (a failure is a fixed message). This file imports nothing of the
// worker pool, so the worker's bundle holds only this and the library.
import { client, ready, server } from '@serenity-kit/opaque';

/** One user per vault: the owner. Fixed so both halves agree without a round trip. */
export const OWNER_USER_ID = 'memory-vault-owner';
/**
 * Argon2id inside OPAQUE (the library's default, RFC 9106 "memory-constrained": 64 MiB, 3
 * passes). Both halves must use the same setting; it is a protocol constant, never negotiated,
 * so a peer cannot talk the client down.
 */
export const KEY_STRETCHING = 'memory-constrained' as const;

/** What the server holds after registration. Never written to disk. */
export interface OwnerRegistration {
  readonly serverSetup: string;
  readonly record: string;
}

/**
 * Both halves of the registration with a fresh server setup, from the password's UTF-8 bytes.
 * The library takes the password as a string, which cannot be zeroed: it lives only in this
 * thread's heap, which ends with the worker shortly after.
 */
export async function registerOwnerInThisThread(passwordBytes: Uint8Array): Promise<OwnerRegistration> {
  try {
    await ready;
    // Fatal: bytes that are not UTF-8 fail (the worker answers a fixed message), never a guess.
    const password = new TextDecoder('utf-8', { fatal: true }).decode(passwordBytes);
    const serverSetup = server.createSetup();
    const start = client.startRegistration({ password });
    const { registrationResponse } = server.createRegistrationResponse({
      serverSetup,
      userIdentifier: OWNER_USER_ID,
      registrationRequest: start.registrationRequest,
    });
    const { registrationRecord } = client.finishRegistration({
      password,
      registrationResponse,
      clientRegistrationState: start.clientRegistrationState,
      keyStretching: KEY_STRETCHING,
    });
    return { serverSetup, record: registrationRecord };
  } finally {
    passwordBytes.fill(0);
  }
}
