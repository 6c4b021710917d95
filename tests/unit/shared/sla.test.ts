import { describe, expect, it } from 'vitest';
import { addSlaMinutes, casePriorityFor, raise, type BusinessHours } from '../../../shared/sla.js';

const weekdays9to17: BusinessHours = { utcOffsetMinutes: 0, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

describe('SLA maths', () => {
  it('counts wall-clock minutes without business hours', () => {
    expect(addSlaMinutes(new Date('2026-11-24T23:50:00Z'), 30, null).toISOString()).toBe('2026-11-25T00:20:00.000Z');
  });

  it('counts only business minutes, skipping nights and weekends', () => {
    // Tuesday 16:30 + 60 business minutes = Wednesday 09:30
    expect(addSlaMinutes(new Date('2026-11-24T16:30:00Z'), 60, weekdays9to17).toISOString()).toBe('2026-11-25T09:30:00.000Z');
    // Friday 16:00 + 120 = Monday 10:00
    expect(addSlaMinutes(new Date('2026-11-27T16:00:00Z'), 120, weekdays9to17).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    // Saturday night: the clock starts Monday 09:00
    expect(addSlaMinutes(new Date('2026-11-28T22:00:00Z'), 15, weekdays9to17).toISOString()).toBe('2026-11-30T09:15:00.000Z');
    // Two full days of 8 hours
    expect(addSlaMinutes(new Date('2026-11-24T09:00:00Z'), 16 * 60, weekdays9to17).toISOString()).toBe('2026-11-25T17:00:00.000Z');
  });

  it('honours the team time zone', () => {
    const cet = { ...weekdays9to17, utcOffsetMinutes: 60 };
    // 07:30 UTC is 08:30 in CET: the clock starts at 09:00 CET = 08:00 UTC
    expect(addSlaMinutes(new Date('2026-11-24T07:30:00Z'), 30, cet).toISOString()).toBe('2026-11-24T08:30:00.000Z');
  });

  it('maps mention priority to case priority and raises one step', () => {
    expect([95, 70, 40, 5].map(casePriorityFor)).toEqual(['urgent', 'high', 'normal', 'low']);
    expect(raise('low')).toBe('normal');
    expect(raise('urgent')).toBe('urgent');
  });
});
