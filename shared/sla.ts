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
  })
  .refine((b) => b.start < b.end, { message: 'end must be after start', path: ['end'] });
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

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

const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/**
 * When `minutes` of SLA time have passed after `start`: wall-clock minutes, or
 * only minutes inside business hours when they are set.
 */
export function addSlaMinutes(start: Date, minutes: number, hours: BusinessHours | null): Date {
  if (!hours) return new Date(start.getTime() + minutes * 60_000);
  const offset = hours.utcOffsetMinutes * 60_000;
  const open = hm(hours.start);
  const close = hm(hours.end);
  let local = start.getTime() + offset; // the team's wall clock, expressed as a UTC timestamp
  let left = minutes;
  for (let guard = 0; guard < 3660 && left > 0; guard++) {
    const d = new Date(local);
    const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    const minuteOfDay = (local - dayStart) / 60_000;
    if (!hours.days.includes(d.getUTCDay()) || minuteOfDay >= close) {
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

/** Case priority from the highest mention priority (0-100) in it. */
export const casePriorityFor = (score: number): CasePriority => (score >= 80 ? 'urgent' : score >= 60 ? 'high' : score >= 30 ? 'normal' : 'low');

export const raise = (p: CasePriority): CasePriority => CASE_PRIORITIES[Math.max(0, CASE_PRIORITIES.indexOf(p) - 1)]!;

/** Whole minutes from one instant to a later one (never negative), for first-response and resolution times. */
export const minutesBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
