// Time left until `until` (epoch ms), updated every second; announces only at the end.
import { useEffect, useState } from 'react';
import { formatRemaining } from '../lib/format.js';

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function Countdown({ until }: { until: number }) {
  const now = useNow();
  const left = until - now;
  return (
    <span className={`countdown${left < 30_000 ? ' countdown-urgent' : ''}`} data-testid="approval-countdown">
      {left > 0 ? `Expires in ${formatRemaining(left)}` : 'Expired'}
    </span>
  );
}
