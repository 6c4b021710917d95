import { useEffect, useState } from 'react';
import type { Case } from '../../../../shared/case.js';
import { clockViews, slaState } from '../../../../shared/sla-clock.js';
import type { BusinessHours } from '../../../../shared/sla.js';

/** Re-renders every `ms` so countdowns stay true. */
export function useTick(ms: number) {
  const [, set] = useState(0);
  useEffect(() => {
    const t = setInterval(() => set((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
}

const human = (m: number) => {
  const a = Math.abs(m);
  const s = a >= 60 * 24 ? `${Math.floor(a / 1440)}d ${Math.floor((a % 1440) / 60)}h` : a >= 60 ? `${Math.floor(a / 60)}h ${a % 60}m` : `${a}m`;
  return m < 0 ? `${s} over` : s;
};

export const SLA_LABEL = { on_track: 'on track', at_risk: 'at risk', breached: 'breached' } as const;

/** The state chip of a case in the queue. */
export function SlaChip({ kase }: { kase: Case }) {
  useTick(15_000);
  const s = slaState(kase, new Date());
  return (
    <span className={`sla sla-${s}`} data-testid="sla-state">
      {kase.sla.pausedAt ? 'paused · ' : ''}
      {SLA_LABEL[s]}
    </span>
  );
}

/** Both clocks counting down (business minutes when the policy has hours), paused while the case is pending. */
export function SlaClocks({ kase, hours }: { kase: Case; hours: BusinessHours | null }) {
  useTick(5_000);
  const views = clockViews(kase, new Date(), hours);
  return (
    <div className="sla-clocks" data-testid="sla-clocks">
      {views.map((v) => (
        <div key={v.target} className={`clock clock-${v.state}`} data-testid={`clock-${v.target}`} data-state={v.state}>
          <b>{v.target === 'first_response' ? 'First response' : 'Resolution'}</b>{' '}
          {v.state === 'met' ? 'met' : v.state === 'stopped' ? '—' : `${human(v.minutesLeft ?? 0)}${v.minutesLeft !== null && v.minutesLeft >= 0 ? ' left' : ''}`}
          {v.state === 'paused' && ' · paused (waiting on the customer)'}
          {v.state === 'at_risk' && ' · at risk'}
          {v.state === 'breached' && ' · BREACHED'}
          {hours && v.state !== 'met' && v.state !== 'stopped' && <span className="muted"> (business hours)</span>}
        </div>
      ))}
    </div>
  );
}
