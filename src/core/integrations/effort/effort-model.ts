// MP-02 effort observation: a segment is a span of observed human work — start, signals, stop.
// Signal texts stay inside the encrypted vault; receipts carry only their hashes.
import { z } from 'zod';
import { canonicalJson } from '../../audit/index.js';
import { sha256 } from '../../crypto/keys.js';

export const SIGNAL_TYPES = [
  'text_edit',
  'command',
  'tool_interaction',
  'voice_transcript',
  'file_operation',
  'search_query',
  'decision',
  'annotation',
  'pause',
  'marker',
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** Signals that show work being done; pauses and markers structure a segment but are not work. */
export const WORK_SIGNAL_TYPES: ReadonlySet<SignalType> = new Set(SIGNAL_TYPES.filter((t) => t !== 'pause' && t !== 'marker'));

export const MAX_SIGNALS = 10_000;

/**
 * How an observer captured its signals (MP-02 A.5: observers MUST disclose capture modality):
 * typed by the person themself, reported by a tool hook (shell, editor), reported by an AI agent
 * on the person's behalf, or transcribed from speech.
 */
export const CAPTURE_MODALITIES = ['manual-entry', 'tool-hook', 'agent-reported', 'transcription'] as const;
export type CaptureModality = (typeof CAPTURE_MODALITIES)[number];

export const observerSchema = z
  .object({
    /** Who captured the signals, e.g. `memory-vault-cli` or the name of an editor plug-in. */
    id: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
    captureModality: z.enum(CAPTURE_MODALITIES),
  })
  .strict();
export type Observer = z.infer<typeof observerSchema>;

export const signalSchema = z
  .object({
    type: z.enum(SIGNAL_TYPES),
    content: z.string().max(4096),
    /** ms since the epoch */
    at: z.number().int().min(0),
  })
  .strict();
export type Signal = z.infer<typeof signalSchema>;

export const segmentSchema = z
  .object({
    id: z.string().min(1).max(64),
    state: z.enum(['observing', 'stopped']),
    startedAt: z.number().int().min(0),
    stoppedAt: z.number().int().min(0).nullable(),
    startReason: z.string().max(1000),
    stopReason: z.string().max(1000).nullable(),
    signals: z.array(signalSchema).max(MAX_SIGNALS),
    /** Absent only on segments recorded before observers were disclosed. */
    observer: observerSchema.optional(),
  })
  .strict();
export type EffortSegment = z.infer<typeof segmentSchema>;

/** SHA-256 of the signal's RFC 8785 form: binds type, text and time. */
export function signalHash(s: Signal): string {
  return sha256(`memory-vault/mp02-signal/v1\n${canonicalJson({ type: s.type, content: s.content, at: s.at })}`).toString('hex');
}
