// A memory's labels: the owner-editable part of its metadata (title, tags, key/value metadata).
// Its level, namespace and content are bound into its envelope (memory-binding.ts) and are not
// labels. Also the search text the labels contribute to the full-text index, built one way for
// store and edit so an edited memory is found exactly as a freshly stored one would be.
import { z } from 'zod';
import { memoryRefSchema } from '../common/ids.schema.js';
import { MAX_TAGS, metadataKeySchema, metadataValueSchema, plainName, tagSchema, titleSchema } from '../common/memory-input.schema.js';
import type { MemoryRow } from './memory.js';

export type MemoryLabels = Pick<MemoryRow, 'title' | 'tags' | 'metadata'>;

/** Fields left out stay as they are; at least one must be given. */
export const editLabelsInputSchema = z
  .object({
    memoryId: memoryRefSchema,
    title: plainName(titleSchema).optional(),
    tags: z.array(plainName(tagSchema)).max(MAX_TAGS).optional(),
    metadata: z.record(plainName(metadataKeySchema), metadataValueSchema).optional(),
  })
  .strict()
  .refine((v) => v.title !== undefined || v.tags !== undefined || v.metadata !== undefined, {
    message: 'give a title, tags or metadata to change',
  });
export type EditLabelsInput = z.input<typeof editLabelsInputSchema>;

export const LABEL_FIELDS = ['title', 'tags', 'metadata'] as const;

/** The index columns the labels fill (content is indexed separately, at store, for levels 0–2). */
export function labelSearchText(labels: MemoryLabels): { title: string; tags: string; metadata: string } {
  return {
    title: labels.title,
    tags: labels.tags.join(' '),
    metadata: Object.entries(labels.metadata)
      .map(([k, val]) => `${k} ${String(val)}`)
      .join(' '),
  };
}

/** Which label fields differ (compared by value: tags in order, metadata by its JSON). */
export function changedLabels(before: MemoryLabels, after: MemoryLabels): (typeof LABEL_FIELDS)[number][] {
  return LABEL_FIELDS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
