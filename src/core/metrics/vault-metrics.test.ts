import { describe, expect, it } from 'vitest';
import { VaultMetrics } from './vault-metrics.js';

describe('VaultMetrics', () => {
  it('counts recalls by level and outcome and reports latency percentiles', () => {
    const m = new VaultMetrics();
    for (let i = 1; i <= 100; i++) m.recall(1, 'ok', i);
    m.recall(3, 'APPROVAL_DENIED');
    m.approval('requested');
    m.approval('denied');
    m.store(2);
    const s = m.snapshot();
    expect(s.recalls).toEqual({ 'level1.ok': 100, 'level3.APPROVAL_DENIED': 1 });
    expect(s.approvals).toEqual({ requested: 1, denied: 1 });
    expect(s.stores).toEqual({ level2: 1 });
    expect(s.recallLatencyMs.count).toBe(100);
    expect(s.recallLatencyMs.p50).toBeGreaterThanOrEqual(45);
    expect(s.recallLatencyMs.p50).toBeLessThanOrEqual(55);
    expect(s.recallLatencyMs.p99).toBeGreaterThanOrEqual(98);
  });

  it('keeps only a sliding window of latencies', () => {
    const m = new VaultMetrics();
    for (let i = 0; i < 6000; i++) m.recall(1, 'ok', i < 3000 ? 1000 : 1);
    expect(m.snapshot().recallLatencyMs.p99).toBe(1);
  });
});
