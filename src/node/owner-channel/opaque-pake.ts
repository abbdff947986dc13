// OPAQUE (RFC 9807) for the owner channel, through @serenity-kit/opaque (maintained, audited
// Rust `opaque-ke` compiled to wasm and shipped inside the npm package).
// Invariant: the owner's credential crosses the socket only as OPAQUE messages. The server keeps
// a registration record and its setup (OPRF key, static key pair) in memory only; a process
// without them cannot answer a login so that the client's finishLogin succeeds, and what it
// receives (the blinded OPRF request) is independent of the passphrase. The registration, whose
// client half stretches the credential with Argon2id, runs in the key-stretching worker thread
// (opaque-registration.ts); the server's login steps are cheap and stay here.
import { client, ready, server } from '@serenity-kit/opaque';
import { argon2Pool } from '../crypto/argon2.service.js';
import { KEY_STRETCHING, OWNER_USER_ID, type OwnerRegistration } from './opaque-registration.js';

export type { OwnerRegistration } from './opaque-registration.js';

/**
 * Both halves of the registration with a fresh server setup, in a worker thread: this thread's
 * heap and wasm memory never hold the 64 MiB the key stretching needs, and the event loop keeps
 * serving meanwhile. The credential crosses as bytes the worker zeroes.
 */
export async function registerOwner(password: string): Promise<OwnerRegistration> {
  // The server's login steps below run in this thread's instance of the library.
  await ready;
  return argon2Pool().registerOpaqueOwner(password);
}

// ---- server half of a login ----

/** KE1 → KE2. Throws on a malformed request (the caller counts the attempt either way). */
export function serverStartLogin(reg: OwnerRegistration, startLoginRequest: string): { loginResponse: string; state: string } {
  const r = server.startLogin({
    serverSetup: reg.serverSetup,
    registrationRecord: reg.record,
    startLoginRequest,
    userIdentifier: OWNER_USER_ID,
  });
  return { loginResponse: r.loginResponse, state: r.serverLoginState };
}

/** KE3 → the session key, or null when the client did not prove the credential. */
export function serverFinishLogin(state: string, finishLoginRequest: string): string | null {
  try {
    return server.finishLogin({ serverLoginState: state, finishLoginRequest }).sessionKey;
  } catch {
    return null;
  }
}

// ---- client half of a login ----

export async function clientStartLogin(password: string): Promise<{ startLoginRequest: string; state: string }> {
  await ready;
  const r = client.startLogin({ password });
  return { startLoginRequest: r.startLoginRequest, state: r.clientLoginState };
}

/**
 * KE2 → KE3 and the session key, or null when the server's answer does not verify: either the
 * credential is wrong or the server does not hold the vault's record. The two look the same
 * from here by design; in both cases the client must send nothing more.
 */
export function clientFinishLogin(
  state: string,
  loginResponse: string,
  password: string,
): { finishLoginRequest: string; sessionKey: string } | null {
  try {
    const r = client.finishLogin({ clientLoginState: state, loginResponse, password, keyStretching: KEY_STRETCHING });
    return r ? { finishLoginRequest: r.finishLoginRequest, sessionKey: r.sessionKey } : null;
  } catch {
    return null;
  }
}
