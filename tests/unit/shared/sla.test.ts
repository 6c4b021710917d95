import { describe, expect, it } from 'vitest';
import { addSlaMinutes, BusinessHoursSchema, casePriorityFor, raise, type BusinessHours } from '../../../shared/sla.js';

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

describe('business hours: time zone and holidays', () => {
  it('counts in the named time zone, with daylight saving time', () => {
    // Lisbon is UTC+1 in summer: 09:00-17:00 local is 08:00-16:00 UTC.
    const hours = { utcOffsetMinutes: 0, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'Europe/Lisbon', holidays: [] };
    expect(addSlaMinutes(new Date('2026-07-06T07:00:00Z'), 30, hours).toISOString()).toBe('2026-07-06T08:30:00.000Z');
    // In winter Lisbon is on UTC.
    expect(addSlaMinutes(new Date('2026-12-07T07:00:00Z'), 30, hours).toISOString()).toBe('2026-12-07T09:30:00.000Z');
  });

  it('skips holidays', () => {
    const hours = { utcOffsetMinutes: 0, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: ['2026-12-25'] };
    // Thursday 24 Dec 16:30 + 60 min: 30 min that day, Friday 25th is a holiday, Monday 28th 09:30.
    expect(addSlaMinutes(new Date('2026-12-24T16:30:00Z'), 60, hours).toISOString()).toBe('2026-12-28T09:30:00.000Z');
  });

  it('refuses a time zone that does not exist, naming the field', () => {
    const r = BusinessHoursSchema.safeParse({ utcOffsetMinutes: 0, days: [1], start: '09:00', end: '17:00', timeZone: 'Mars/Olympus' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['timeZone']);
  });
});
