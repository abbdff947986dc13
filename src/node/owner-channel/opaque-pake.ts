// OPAQUE (RFC 9807) for the owner channel, through @serenity-kit/opaque (maintained, audited
// Rust `opaque-ke` compiled to wasm and shipped inside the npm package).
// Invariant: the owner's credential crosses the socket only as OPAQUE messages. The server keeps
// a registration record and its setup (OPRF key, static key pair) in memory only; a process
// without them cannot answer a login so that the client's finishLogin succeeds, and what it
// receives (the blinded OPRF request) is independent of the passphrase.
import { client, ready, server } from '@serenity-kit/opaque';

/** One user per vault: the owner. Fixed so both halves agree without a round trip. */
const OWNER_USER_ID = 'memory-vault-owner';
/**
 * Argon2id inside OPAQUE (the library's default, RFC 9106 "memory-constrained": 64 MiB, 3
 * passes). Both halves must use the same setting; it is a protocol constant, never negotiated,
 * so a peer cannot talk the client down.
 */
const KEY_STRETCHING = 'memory-constrained' as const;

/** What the server holds after registration. Never written to disk. */
export interface OwnerRegistration {
  readonly serverSetup: string;
  readonly record: string;
}

/** Both halves of the registration in this process, with a fresh server setup. */
export async function registerOwner(password: string): Promise<OwnerRegistration> {
  await ready;
  const serverSetup = server.createSetup();
  const start = client.startRegistration({ password });
  const { registrationResponse } = server.createRegistrationResponse({ serverSetup, userIdentifier: OWNER_USER_ID, registrationRequest: start.registrationRequest });
  const { registrationRecord } = client.finishRegistration({
    password,
    registrationResponse,
    clientRegistrationState: start.clientRegistrationState,
    keyStretching: KEY_STRETCHING,
  });
  return { serverSetup, record: registrationRecord };
}

// ---- server half of a login ----

/** KE1 → KE2. Throws on a malformed request (the caller counts the attempt either way). */
export function serverStartLogin(reg: OwnerRegistration, startLoginRequest: string): { loginResponse: string; state: string } {
  const r = server.startLogin({ serverSetup: reg.serverSetup, registrationRecord: reg.record, startLoginRequest, userIdentifier: OWNER_USER_ID });
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
export function clientFinishLogin(state: string, loginResponse: string, password: string): { finishLoginRequest: string; sessionKey: string } | null {
  try {
    const r = client.finishLogin({ clientLoginState: state, loginResponse, password, keyStretching: KEY_STRETCHING });
    return r ? { finishLoginRequest: r.finishLoginRequest, sessionKey: r.sessionKey } : null;
  } catch {
    return null;
  }
}
