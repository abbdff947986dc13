// A dead-man switch heir as the owner names one (CLI, desktop window): a short name and the age
// X25519 recipient their package is sealed to. In core/common so the desktop contract and the
// switch's stored state check the same rule.
import { z } from 'zod';

export const heirSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an heir name is 1-64 letters, digits, dot, dash or underscore'),
  recipient: z.string().regex(/^age1[0-9a-z]{58}$/, 'an heir recipient is an age X25519 recipient (age1…, 62 characters)'),
});
