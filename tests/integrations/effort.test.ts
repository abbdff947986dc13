// MP-02 effort receipts: deterministic validation, Ed25519 signature by the vault key, and
// tamper evidence for signals and receipts.
import { afterEach, describe, expect, it } from 'vitest';
import type { EffortSegment } from '../../src/core/integrations/effort/effort-model.js';
import { receiptMessage, verifyReceipt, type EffortReceiptBody } from '../../src/core/integrations/effort/effort-receipt.js';
import { encodeBase64 } from '../../src/core/audit/index.js';
import { validateSegment } from '../../src/core/integrations/effort/effort-validator.js';
import type { Requester } from '../../src/core/model/requester.js';
import { EffortStore } from '../../src/node/integrations/effort-store.js';
import { newVault } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const observer = { id: 'editor-plugin/2.1', captureModality: 'tool-hook' } as const;
const MIN = 60_000;
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
  const v = await newVault();
  cleanup = () => {
    v.session.close();
    v.remove();
  };
  const s = v.session;
  let t = Date.UTC(2026, 0, 1, 9, 0, 0);
  const clock = { advance: (ms: number) => (t += ms) };
  const keys = s.engine.auditLog.keys;
  const store = new EffortStore(
    s.database,
    { verifierKey: keys.verifierKey, sign: (m) => keys.signer.sign(m) },
    s.engine,
    { type: 'owner', id: 'cli' },
    () => t,
  );
  return { s, store, clock };
}

describe('MP-02 effort receipts', () => {
  it('issues a receipt that verifies with the vault key; tampering with a signal changes validation and breaks it', async () => {
    const { s, store, clock } = await setup();
    const keys = s.engine.auditLog.keys;
    const memory = await s.engine.store({ content: 'design notes', level: 2, title: 'design' }, owner);
    const seg = store.start('feature X', observer);
    for (const [type, text] of [
      ['text_edit', 'Added the token parser'],
      ['command', 'npm test'],
      ['decision', 'Chose JWT over sessions'],
      ['pause', 'thinking'],
      ['text_edit', 'Refactored session cache'],
      ['marker', 'first phase done'],
      ['annotation', 'Needs a review of expiry handling'],
    ] as const) {
      clock.advance(3 * MIN);
      store.signal(type, text);
    }
    clock.advance(MIN);
    const stopped = store.stop('done');
    expect(store.pending().map((p) => p.id)).toEqual([seg.id]);

    // `effort validate` shows what the receipt will attest, without issuing it.
    const preview = store.validate(stopped.id).validation;
    expect(store.pending().map((p) => p.id)).toEqual([seg.id]);

    const { receipt, receiptHash } = await store.issue(stopped.id, memory.id);
    expect(receipt.validation).toEqual(preview);
    // MP-02 A.6: the receipt names its observer and how the signals were captured.
    expect(receipt).toMatchObject({ version: 2, observer: { id: 'editor-plugin/2.1', captureModality: 'tool-hook' } });
    expect(store.pending()).toEqual([]);
    expect(receipt.signalHashes).toHaveLength(7);
    expect(JSON.stringify(receipt)).not.toContain('JWT'); // signal texts stay in the vault
    const key = s.engine.auditLog.verifierKey;
    expect(verifyReceipt(receipt, { trustedKey: key, segment: stopped })).toEqual({ valid: true, failures: [] });
    expect(store.receiptsOf(memory.id).map((r) => r.receiptHash)).toEqual([receiptHash]);
    // Deterministic: validating again gives the same numbers.
    expect(validateSegment(stopped)).toEqual(receipt.validation);
    expect(receipt.validation.coherence).toBe(1);

    // Tamper: make one edit repeat the previous one.
    const signals = [...stopped.signals];
    signals[4] = { ...(signals[4] as EffortSegment['signals'][number]), content: 'Added the token parser' };
    const tampered: EffortSegment = { ...stopped, signals };
    expect(validateSegment(tampered)).not.toEqual(receipt.validation);
    const check = verifyReceipt(receipt, { trustedKey: key, segment: tampered });
    expect(check.valid).toBe(false);
    expect(check.failures.join(' ')).toMatch(/signals differ/);
    expect(check.failures.join(' ')).toMatch(/different scores/);

    // Tamper with the receipt itself: the signature breaks.
    expect(verifyReceipt({ ...receipt, validation: { ...receipt.validation, coherence: 0.5 } }, { trustedKey: key }).failures).toContain(
      'the signature does not verify',
    );
    expect(verifyReceipt({ ...receipt, memoryId: 'someone-else' }, { trustedKey: key }).valid).toBe(false);
    // The observer is signed too: claiming another observer or modality breaks the signature.
    expect(verifyReceipt({ ...receipt, observer: { ...observer, captureModality: 'manual-entry' } }, { trustedKey: key }).valid).toBe(
      false,
    );

    // A version-1 receipt (issued before observers were disclosed) still verifies.
    if (receipt.version !== 2) throw new Error('expected a version-2 receipt');
    const { signature: _sig, observer: _obs, ...rest } = receipt;
    const v1: EffortReceiptBody = { ...rest, version: 1 };
    expect(verifyReceipt({ ...v1, signature: encodeBase64(keys.signer.sign(receiptMessage(v1))) }, { trustedKey: key }).valid).toBe(true);

    // The receipt hash is in the audit log, so anchoring checkpoints anchors it too.
    const ev = s.repo
      .queryAudit({ kind: 'effort.receipt', limit: 5 })
      .map((r) => JSON.parse(r.json) as { details: { receiptHash: string } });
    expect(ev.map((e) => e.details.receiptHash)).toEqual([receiptHash]);
  });

  it('scores deterministically: disorder, repetition and long silences lower coherence', () => {
    const base: EffortSegment = {
      id: 's',
      state: 'stopped',
      startedAt: 0,
      stoppedAt: 40 * MIN,
      startReason: '',
      stopReason: '',
      signals: [],
    };
    expect(validateSegment(base)).toMatchObject({ coherence: 0, progression: 0, uncertainty: 1 });
    const steady = {
      ...base,
      signals: [1, 2, 3, 4].map((i) => ({ type: 'text_edit' as const, content: `step ${i} of work`, at: i * 8 * MIN })),
    };
    const v = validateSegment(steady);
    expect(v.coherence).toBe(1);
    expect(v.uncertainty).toBe(Math.round((1 / Math.sqrt(5)) * 10_000) / 10_000);
    const repeated = { ...steady, signals: steady.signals.map((s) => ({ ...s, content: 'same' })) };
    expect(validateSegment(repeated).coherence).toBe(0.25);
    const gap: EffortSegment = {
      ...steady,
      signals: [
        { type: 'text_edit', content: 'start', at: MIN },
        { type: 'text_edit', content: 'much later', at: 39 * MIN },
      ],
    };
    expect(validateSegment(gap).coherence).toBe(0);
    const disordered = { ...steady, signals: [...steady.signals].reverse() };
    expect(validateSegment(disordered)).toMatchObject({ coherence: 0 });
    expect(validateSegment(disordered).uncertainty).toBeGreaterThan(v.uncertainty);
  });

  it('refuses an observer id that could smuggle spaces or control characters', async () => {
    const { store } = await setup();
    expect(() => store.start('x', { id: 'evil\u001b[2J', captureModality: 'manual-entry' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => store.start('x', { id: '', captureModality: 'manual-entry' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses receipts for running segments and unknown memories', async () => {
    const { store } = await setup();
    const seg = store.start('x', observer);
    await expect(store.issue(seg.id, null)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    store.stop('y');
    await expect(store.issue(seg.id, 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(() => store.signal('text_edit', 'late')).toThrow(/No effort segment/);
  });
});
