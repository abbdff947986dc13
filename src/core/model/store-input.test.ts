import { describe, expect, it } from 'vitest';
import { storeInputSchema } from './store-input.js';

const base = { content: 'opaque \u001b[2J bytes stay as they are', level: 1 };

function issuesOf(input: object): { path: PropertyKey[]; message: string }[] {
  const r = storeInputSchema.safeParse({ ...base, ...input });
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe('store input: names the owner reads carry no control, bidi or zero-width characters', () => {
  it.each([
    ['title with clear-screen', { title: 'a\u001b[2J' }, ['title']],
    ['title with OSC 52', { title: 'x\u001b]52;c;aGk=\u0007' }, ['title']],
    ['title with RLO', { title: 'txt.\u202eexe' }, ['title']],
    ['title with a newline', { title: 'line one\nline two' }, ['title']],
    ['tag with a zero-width space', { title: 'ok', tags: ['fine', 'ad\u200bmin'] }, ['tags', 1]],
    ['metadata key with a C1 CSI', { title: 'ok', metadata: { 'k\u009b2J': 'v' } }, ['metadata']],
  ])('refuses a %s', (_name, input, path) => {
    const issues = issuesOf(input);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.path.slice(0, path.length)).toEqual(path);
  });

  it('refuses a namespace with a control character', () => {
    expect(issuesOf({ title: 'ok', namespace: 'ns\u001b' }).map((i) => i.path[0])).toContain('namespace');
  });

  it('accepts hostile metadata values and content (neutralised on display, not refused), and non-Latin titles', () => {
    expect(issuesOf({ title: 'Заметка 🚀 مرحبا', tags: ['日本'], metadata: { system: 'silo\u001b[1A\u202e' } })).toEqual([]);
  });
});
