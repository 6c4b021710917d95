import { describe, expect, it } from 'vitest';
import type { Case } from '../../../shared/case.js';
import { clockTimes, clockViews, pauseSla, resumeSla, slaMinutesBetween, slaState, withSlaIndex } from '../../../shared/sla-clock.js';
import type { BusinessHours } from '../../../shared/sla.js';

const HOURS: BusinessHours = { utcOffsetMinutes: 0, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
// Tuesday 1 Dec 2026.
const at = (hhmm: string, day = 1) => new Date(`2026-12-${String(day).padStart(2, '0')}T${hhmm}:00.000Z`);

function kase(over: Partial<Case> = {}): Case {
  const t = clockTimes(at('10:00'), 60, { businessHours: null, atRiskPercent: 80 });
  const r = clockTimes(at('10:00'), 240, { businessHours: null, atRiskPercent: 80 });
  return withSlaIndex({
    id: '1', number: 'HK-1001', title: 't', status: 'open', priority: 'high', team: null, assignee: null, customerId: null, mentionIds: [], externalRef: null,
    createdAt: at('10:00').toISOString(), updatedAt: at('10:00').toISOString(), firstResponseAt: null, resolvedAt: null, version: 1,
    sla: { firstResponseDueAt: t.dueAt, firstResponseRiskAt: t.riskAt, resolutionDueAt: r.dueAt, resolutionRiskAt: r.riskAt, breached: [], pausedAt: null, pausedMinutes: 0 },
    ...over,
  });
}

describe('SLA clock maths', () => {
  it('counts only business minutes between two instants', () => {
    expect(slaMinutesBetween(at('10:00'), at('11:30'), null)).toBe(90);
    expect(slaMinutesBetween(at('16:00'), at('10:00', 2), HOURS)).toBe(120); // 1 h Tuesday evening + 1 h Wednesday morning
    expect(slaMinutesBetween(at('16:00', 4), at('10:00', 7), HOURS)).toBe(120); // Friday to Monday skips the weekend
    expect(slaMinutesBetween(at('18:00'), at('08:00', 2), HOURS)).toBe(0);
    expect(slaMinutesBetween(at('11:00'), at('10:00'), HOURS)).toBe(0);
  });

  it('puts the at-risk instant at the policy share of the budget, in business hours', () => {
    const t = clockTimes(at('16:00'), 100, { businessHours: HOURS, atRiskPercent: 80 });
    expect(t.riskAt).toBe(at('09:20', 2).toISOString()); // 80 of 100 minutes: 60 on Tuesday, 20 on Wednesday
    expect(t.dueAt).toBe(at('09:40', 2).toISOString());
  });

  it('a pause moves every due and at-risk instant by the paused time, and the index follows', () => {
    const k = kase();
    expect(k.sla.nextDueAt).toBe(at('11:00').toISOString());
    const paused = withSlaIndex({ ...k, status: 'pending' as const, sla: pauseSla(k.sla, at('10:30')) });
    expect(paused.sla.nextDueAt).toBeNull(); // a paused case has no running clock to sort by
    expect(slaState(paused, at('12:00'))).toBe('on_track'); // the clock stood still at 10:30, before the risk point (10:48)
    const resumed = withSlaIndex({ ...paused, status: 'open' as const, sla: resumeSla(paused.sla, at('11:15'), null) });
    expect(resumed.sla.firstResponseDueAt).toBe(at('11:45').toISOString());
    expect(resumed.sla.firstResponseRiskAt).toBe(at('11:33').toISOString());
    expect(resumed.sla.resolutionDueAt).toBe(at('14:45').toISOString());
    expect(resumed.sla.pausedMinutes).toBe(45);
    expect(resumed.sla.nextDueAt).toBe(at('11:45').toISOString());
  });

  it('a pause over the night costs only the business minutes it covered', () => {
    const t = clockTimes(at('16:30'), 60, { businessHours: HOURS, atRiskPercent: 80 });
    const sla = { firstResponseDueAt: t.dueAt, resolutionDueAt: null, breached: [], pausedAt: at('16:45').toISOString() };
    expect(t.dueAt).toBe(at('09:30', 2).toISOString());
    // Paused 16:45 Tuesday to 09:10 Wednesday: 15 + 10 business minutes.
    const back = resumeSla(sla, at('09:10', 2), HOURS);
    expect(back.pausedMinutes).toBe(25);
    expect(back.firstResponseDueAt).toBe(at('09:55', 2).toISOString());
  });

  it('is on track, at risk, then breached as time passes; a flagged breach stays breached', () => {
    const k = kase();
    expect(slaState(k, at('10:30'))).toBe('on_track');
    expect(slaState(k, at('10:50'))).toBe('at_risk');
    expect(slaState(k, at('11:01'))).toBe('breached');
    expect(slaState({ ...k, sla: { ...k.sla, breached: ['first_response'] } }, at('10:01'))).toBe('breached');
    // Answered: the resolution clock is the one that runs now (at risk from 13:12).
    const answered = withSlaIndex({ ...k, firstResponseAt: at('10:20').toISOString() });
    expect(slaState(answered, at('12:00'))).toBe('on_track');
    expect(slaState(answered, at('13:20'))).toBe('at_risk');
  });

  it('shows each clock with the minutes left, paused, met or breached', () => {
    const k = kase();
    expect(clockViews(k, at('10:50'), null).map((c) => [c.target, c.state, c.minutesLeft])).toEqual([
      ['first_response', 'at_risk', 10],
      ['resolution', 'running', 190],
    ]);
    const paused = { ...k, status: 'pending' as const, sla: pauseSla(k.sla, at('10:20')) };
    expect(clockViews(paused, at('15:00'), null)[0]).toMatchObject({ state: 'paused', minutesLeft: 40 });
    expect(clockViews({ ...k, firstResponseAt: at('10:05').toISOString() }, at('11:30'), null)[0]!.state).toBe('met');
    expect(clockViews(k, at('11:30'), null)[0]).toMatchObject({ state: 'breached', minutesLeft: -30 });
  });
});
