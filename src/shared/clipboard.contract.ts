// Copying revealed content. Main writes the OS clipboard and clears it after a while if it still
// holds that text (clipboard-guard.ts); it keeps a digest, never the text.
import { z } from 'zod';
import { invokeContract } from './contract.js';

/** Revealed content is at most a memory's size; 1 MiB of text is far above any. */
export const CLIPBOARD_TEXT_MAX = 1024 * 1024;

export const clipboardContracts = {
  copySecret: invokeContract(
    'clipboard:copy-secret',
    z.object({ text: z.string().min(1).max(CLIPBOARD_TEXT_MAX) }).strict(),
    z.object({ clearsInMs: z.number().int().min(0) }),
  ),
} as const;
