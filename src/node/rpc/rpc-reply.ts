// JSON-RPC replies of both sockets (agent and owner): refusals carry the vault's stable code, never
// internals; a damaged database page is named (VAULT_CORRUPT with its hint), not INTERNAL.
import { isVaultError, VaultError } from '../../core/errors.js';
import { JSONRPC, rpcCodeFor, type RpcResponse } from './json-rpc.js';
import { storageDamageError } from '../store/storage-damage.js';

export type RpcId = string | number | null;

/** A handler's refusal at the JSON-RPC protocol level (reserved code, vault code INVALID_INPUT). */
export class ProtocolRefusal extends Error {
  override readonly name = 'ProtocolRefusal';
  constructor(
    readonly rpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

export function failResponse(id: RpcId, e: unknown): RpcResponse {
  if (e instanceof ProtocolRefusal) return invalidResponse(id, e.rpcCode, e.message);
  const err = isVaultError(e) ? e : (storageDamageError(e) ?? new VaultError('INTERNAL', 'The request failed.'));
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: rpcCodeFor(err.code),
      message: err.message,
      data: { code: err.code, ...(Object.keys(err.details).length ? { details: err.details } : {}) },
    },
  };
}

/** A protocol-level refusal (JSON-RPC reserved code); its vault code is always INVALID_INPUT. */
export function invalidResponse(id: RpcId, code: number, message: string): RpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message, data: { code: 'INVALID_INPUT' } } };
}

/** The request id of something already parsed, if it has a usable one, so a refusal can be matched. */
export function idOfParsed(raw: unknown): RpcId {
  return typeof raw === 'object' && raw !== null && 'id' in raw && (typeof raw.id === 'string' || typeof raw.id === 'number')
    ? raw.id
    : null;
}

/** The id of a frame refused before it is handled (null if unreadable). */
export function idOfFrame(frame: Buffer): RpcId {
  try {
    return idOfParsed(JSON.parse(frame.toString('utf8')));
  } catch {
    return null;
  }
}

export { JSONRPC };
