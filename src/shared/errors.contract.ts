// The closed union of error codes that may cross the bridge.
import { z } from 'zod';
import { ERROR_CODES } from '../core/common/error-codes.js';

// The same closed list as the core's: one source of truth (core/common/error-codes.ts is pure
// data, safe for the renderer bundle).
export const IPC_ERROR_CODES = ERROR_CODES;

export const ipcErrorCodeSchema = z.enum(IPC_ERROR_CODES);
export type IpcErrorCode = z.infer<typeof ipcErrorCodeSchema>;

export const ipcErrorSchema = z
  .object({
    code: ipcErrorCodeSchema,
    message: z.string(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  })
  .strict();
export type IpcError = z.infer<typeof ipcErrorSchema>;
