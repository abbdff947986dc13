// Fuzzing the IPC boundary: random JSON-ish arguments and random sender frames against every
// handler. Invariants: a handler never throws (every answer is { ok, value } / { ok, error }),
// a foreign sender is always UNAUTHORIZED, and no error message echoes the input.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChannels } from '../../src/shared/contracts.js';
import { fuzzRuns } from '../support/fuzz.js';
import { appSender, harness, type Harness } from './ipc-fixture.js';

const CANARY = 'IPC-FUZZ-CANARY';
let h: Harness;
beforeAll(() => {
  h = harness();
});
afterAll(() => h.close());

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string().map((s) => `${CANARY}${s}`),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('IPC handler fuzz', () => {
  it('never throws, answers with a typed result, and never echoes the input in an error', async () => {
    const channels = allChannels();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), json, async (channel, args) => {
        const r = await h.call(channel, args, appSender);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(typeof r.error.code).toBe('string');
          expect(r.error.message).not.toContain(CANARY);
        }
      }),
      { numRuns: fuzzRuns(400) },
    );
  });

  it('refuses every random sender frame that is not the app', async () => {
    const url = fc.oneof(
      fc.webUrl(),
      fc.string(),
      fc.constantFrom('app://memory-vault.evil/index.html', 'file:///tmp/index.html', 'app://memory-vault/../x'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...allChannels()), url, fc.boolean(), async (channel, frameUrl, subFrame) => {
        // The app's own origin is the one thing allowed (a path with ".." still resolves inside it).
        if (!subFrame && URL.canParse(frameUrl) && new URL(frameUrl).protocol === 'app:' && new URL(frameUrl).host === 'memory-vault')
          return;
        const sender = { senderFrame: { url: frameUrl, parent: subFrame ? { url: frameUrl } : null } };
        const r = await h.call(channel, {}, sender as never);
        expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});
