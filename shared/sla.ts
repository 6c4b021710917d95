import { z } from 'zod';
import { CASE_PRIORITIES, type CasePriority } from './case.js';

export const BusinessHoursSchema = z
  .object({
    /** Minutes east of UTC of the team's clock (e.g. 60 for CET); fixed, no DST rules. */
    utcOffsetMinutes: z.number().int().min(-720).max(840),
    /** 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'start must be HH:MM'),
    end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'end must be HH:MM'),
    /**
     * IANA time zone (e.g. "Europe/Lisbon"): when set, it wins over
     * utcOffsetMinutes and follows daylight saving time.
     */
    timeZone: z
      .string()
      .max(64)
      .refine((z) => validZone(z), 'timeZone must be an IANA time zone such as Europe/Lisbon')
      .nullable()
      .default(null),
    /** Days the clock stops (YYYY-MM-DD in the team's time zone). */
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'holidays are YYYY-MM-DD')).max(366).default([]),
  })
  .refine((b) => b.start < b.end, { message: 'end must be after start', path: ['end'] });
/** What callers may pass (zone and holidays optional); the stored policy always has both. */
export type BusinessHours = z.input<typeof BusinessHoursSchema>;

export const SlaTargetSchema = z.object({
  firstResponseMinutes: z.number().int().min(1).max(60 * 24 * 30),
  resolutionMinutes: z.number().int().min(1).max(60 * 24 * 90),
});

export const SlaPolicySchema = z
  .object({
    targets: z.object(Object.fromEntries(CASE_PRIORITIES.map((p) => [p, SlaTargetSchema])) as Record<CasePriority, typeof SlaTargetSchema>),
    businessHours: BusinessHoursSchema.nullable(),
    onBreach: z.object({
      raisePriority: z.boolean(),
      reassignTeam: z.string().max(64).nullable(),
      /** Team told at once, in their browsers, when a case breaches. */
      notifyTeam: z.string().max(64).nullable().default(null),
    }),
    /** A clock is at risk once this share (percent) of its budget is used; the holder is told then. */
    atRiskPercent: z.number().int().min(1).max(99).default(80),
  })
  .strict();
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  targets: {
    urgent: { firstResponseMinutes: 15, resolutionMinutes: 4 * 60 },
    high: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
    normal: { firstResponseMinutes: 4 * 60, resolutionMinutes: 24 * 60 },
    low: { firstResponseMinutes: 24 * 60, resolutionMinutes: 72 * 60 },
  },
  businessHours: null,
  onBreach: { raisePriority: true, reassignTeam: null, notifyTeam: null },
  atRiskPercent: 80,
};

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes east of UTC of `zone` at the instant `utcMs`. */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utcMs));
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/**
 * When `minutes` of SLA time have passed after `start`: wall-clock minutes, or
 * only minutes inside business hours when they are set.
 */
export function addSlaMinutes(start: Date, minutes: number, hours: BusinessHours | null): Date {
  if (!hours) return new Date(start.getTime() + minutes * 60_000);
  const zone = hours.timeZone ?? null;
  const holidays = new Set(hours.holidays ?? []);
  // A zone's offset is taken at the start; a daylight-saving change inside the window moves the result by at most that hour.
  const offset = (zone ? zoneOffsetMinutes(zone, start.getTime()) : hours.utcOffsetMinutes) * 60_000;
  const open = hm(hours.start);
  const close = hm(hours.end);
  let local = start.getTime() + offset; // the team's wall clock, expressed as a UTC timestamp
  let left = minutes;
  for (let guard = 0; guard < 3660 && left > 0; guard++) {
    const d = new Date(local);
    const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    const minuteOfDay = (local - dayStart) / 60_000;
    if (!hours.days.includes(d.getUTCDay()) || holidays.has(d.toISOString().slice(0, 10)) || minuteOfDay >= close) {
      local = dayStart + 86_400_000 + open * 60_000;
      continue;
    }
    if (minuteOfDay < open) {
      local = dayStart + open * 60_000;
      continue;
    }
    const usable = close - minuteOfDay;
    if (left <= usable) {
      local += left * 60_000;
      left = 0;
    } else {
      left -= usable;
      local = dayStart + 86_400_000 + open * 60_000;
    }
  }
  return new Date(local - offset);
}

/**
 * SLA minutes between two instants: wall-clock minutes, or only the minutes
 * inside business hours (days, time zone, holidays: what addSlaMinutes
 * counts in) when there are hours. Never negative. The one rule for SLA
 * clocks, their pauses and the reports' business-hours durations.
 */
export function slaMinutesBetween(from: Date, to: Date, hours: BusinessHours | null): number {
  if (to.getTime() <= from.getTime()) return 0;
  if (!hours) return (to.getTime() - from.getTime()) / 60_000;
  const zone = hours.timeZone ?? null;
  const holidays = new Set(hours.holidays ?? []);
  // As in addSlaMinutes: the zone's offset at the start.
  const offset = (zone ? zoneOffsetMinutes(zone, from.getTime()) : hours.utcOffsetMinutes) * 60_000;
  const open = hm(hours.start);
  const close = hm(hours.end);
  const a = from.getTime() + offset;
  const b = to.getTime() + offset;
  const DAY = 86_400_000;
  let total = 0;
  // Day by day on the team's wall clock; the guard bounds a span of ten years.
  for (let day = Math.floor(a / DAY) * DAY, guard = 0; day < b && guard < 3660; day += DAY, guard++) {
    const d = new Date(day);
    if (!hours.days.includes(d.getUTCDay()) || holidays.has(d.toISOString().slice(0, 10))) continue;
    const s0 = Math.max(a, day + open * 60_000);
    const e0 = Math.min(b, day + close * 60_000);
    if (e0 > s0) total += (e0 - s0) / 60_000;
  }
  return total;
}

/** Case priority from the highest mention priority (0-100) in it. */
export const casePriorityFor = (score: number): CasePriority => (score >= 80 ? 'urgent' : score >= 60 ? 'high' : score >= 30 ? 'normal' : 'low');

export const raise = (p: CasePriority): CasePriority => CASE_PRIORITIES[Math.max(0, CASE_PRIORITIES.indexOf(p) - 1)]!;

/** Whole minutes from one instant to a later one (never negative), for first-response and resolution times. */
export const minutesBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
