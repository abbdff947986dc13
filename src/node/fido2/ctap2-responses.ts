// Response parsing for CTAP2 commands. Authenticator output is untrusted input: integer-keyed
// CBOR maps are mapped to named fields and validated with zod before anything uses them.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import { parseCoseKey, type CoseEc2Key } from './cose-key.js';

const bytes = z.instanceof(Uint8Array).transform((b) => new Uint8Array(b));
const uint = z.number().int().nonnegative();

function named(input: unknown, labels: Readonly<Record<number, string>>, command: string): Record<string, unknown> {
  if (!(input instanceof Map)) throw invalid(command, 'response is not a CBOR map');
  const out: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(labels)) {
    const v: unknown = input.get(Number(key));
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function invalid(command: string, why: string): VaultError {
  return new VaultError('FIDO2_ERROR', `The hardware key sent an invalid ${command} response.`, { reason: 'response', command, why });
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, command: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(command, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

// authenticatorGetInfo response, CTAP 2.1 §6.4.
const getInfoSchema = z.object({
  versions: z.array(z.string()),
  extensions: z.array(z.string()).default([]),
  aaguid: bytes.refine((b) => b.length === 16, 'aaguid must be 16 bytes'),
  options: z
    .map(z.string(), z.boolean())
    .default(new Map())
    .transform((m) => Object.fromEntries(m) as Record<string, boolean>),
  maxMsgSize: uint.optional(),
  pinUvAuthProtocols: z.array(uint).default([]),
});
export type GetInfoResponse = z.infer<typeof getInfoSchema>;

export function parseGetInfo(decoded: unknown): GetInfoResponse {
  const f = named(
    decoded,
    { 1: 'versions', 2: 'extensions', 3: 'aaguid', 4: 'options', 5: 'maxMsgSize', 6: 'pinUvAuthProtocols' },
    'getInfo',
  );
  return parseWith(getInfoSchema, f, 'getInfo');
}

// attStmt for 'packed' / 'none' (WebAuthn §8.2, §8.7); other formats are refused rather than
// half-understood.
const attStmtSchema = z
  .map(z.string(), z.unknown())
  .transform((m) => Object.fromEntries(m))
  .pipe(z.object({ alg: z.number().int().optional(), sig: bytes.optional(), x5c: z.array(bytes).optional() }).strict());
export type AttestationStatement = z.infer<typeof attStmtSchema>;

// authenticatorMakeCredential response, CTAP 2.1 §6.1.2.
const makeCredentialSchema = z.object({
  fmt: z.enum(['packed', 'none']),
  authData: bytes,
  attStmt: attStmtSchema,
});
export type MakeCredentialResponse = z.infer<typeof makeCredentialSchema>;

export function parseMakeCredential(decoded: unknown): MakeCredentialResponse {
  const f = named(decoded, { 1: 'fmt', 2: 'authData', 3: 'attStmt' }, 'makeCredential');
  return parseWith(makeCredentialSchema, f, 'makeCredential');
}

// authenticatorGetAssertion response, CTAP 2.1 §6.2.2.
const credentialDescriptor = z
  .map(z.string(), z.unknown())
  .transform((m) => Object.fromEntries(m))
  .pipe(z.object({ id: bytes, type: z.literal('public-key') }));
const userEntity = z
  .map(z.string(), z.unknown())
  .transform((m) => Object.fromEntries(m))
  .pipe(z.object({ id: bytes }).loose());
const getAssertionSchema = z.object({
  credential: credentialDescriptor,
  authData: bytes,
  signature: bytes,
  user: userEntity.optional(),
  numberOfCredentials: uint.optional(),
});
export type GetAssertionResponse = z.infer<typeof getAssertionSchema>;

export function parseGetAssertion(decoded: unknown): GetAssertionResponse {
  const f = named(decoded, { 1: 'credential', 2: 'authData', 3: 'signature', 4: 'user', 5: 'numberOfCredentials' }, 'getAssertion');
  return parseWith(getAssertionSchema, f, 'getAssertion');
}

// authenticatorClientPIN response, CTAP 2.1 §6.5.5.
const clientPinSchema = z.object({
  keyAgreement: z.unknown().optional(),
  pinUvAuthToken: bytes.optional(),
  pinRetries: uint.optional(),
  powerCycleState: z.boolean().optional(),
  uvRetries: uint.optional(),
});
export interface ClientPinResponse {
  readonly keyAgreement?: CoseEc2Key;
  readonly pinUvAuthToken?: Uint8Array;
  readonly pinRetries?: number;
  readonly powerCycleState?: boolean;
}

export function parseClientPin(decoded: unknown): ClientPinResponse {
  // setPIN/changePIN answer with an empty body: no CBOR at all.
  if (decoded === undefined) return {};
  const f = named(decoded, { 1: 'keyAgreement', 2: 'pinUvAuthToken', 3: 'pinRetries', 4: 'powerCycleState', 5: 'uvRetries' }, 'clientPIN');
  const r = parseWith(clientPinSchema, f, 'clientPIN');
  let keyAgreement: CoseEc2Key | undefined;
  if (r.keyAgreement !== undefined) {
    const k = parseCoseKey(r.keyAgreement);
    if (k.kty !== 2) throw invalid('clientPIN', 'keyAgreement must be a P-256 key');
    keyAgreement = k;
  }
  return {
    ...(keyAgreement ? { keyAgreement } : {}),
    ...(r.pinUvAuthToken ? { pinUvAuthToken: r.pinUvAuthToken } : {}),
    ...(r.pinRetries !== undefined ? { pinRetries: r.pinRetries } : {}),
    ...(r.powerCycleState !== undefined ? { powerCycleState: r.powerCycleState } : {}),
  };
}
