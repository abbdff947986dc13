// JSON-RPC replies of both sockets (agent and owner): refusals carry the vault's stable code, never
// internals; a damaged database page is named (VAULT_CORRUPT with its hint), not INTERNAL.
import { isVaultError, VaultError } from '../../core/errors.js';
import { JSONRPC, rpcCodeFor, type RpcResponse } from '../agent-api/agent-protocol.js';
import { storageDamageError } from '../store/storage-damage.js';

export type RpcId = string | number | null;

export function failResponse(id: RpcId, e: unknown): RpcResponse {
  const err = isVaultError(e) ? e : (storageDamageError(e) ?? new VaultError('INTERNAL', 'The request failed.'));
  return {
    jsonrpc: '2.0',
    id,
    error: { code: rpcCodeFor(err.code), message: err.message, data: { code: err.code, ...(Object.keys(err.details).length ? { details: err.details } : {}) } },
  };
}

export function invalidResponse(id: RpcId, code: number, message: string): RpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message, data: { code: 'INVALID_INPUT' } } };
}

export { JSONRPC };
