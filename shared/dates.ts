import { z } from 'zod';

/**
 * The range of dates Hark takes from clients and connectors. Nothing it
 * listens to predates 2006 (the oldest networks it reads), and a post or a
 * filter more than a day ahead is a bad clock or a hostile value ("9999-12-31"
 * would sit at the top of "newest first" forever).
 */
export const EARLIEST_DATE = '2006-01-01T00:00:00.000Z';
const EARLIEST_MS = Date.parse(EARLIEST_DATE);
export const DAY_MS = 24 * 60 * 60 * 1000;
/** Snoozes and other plans for later may look further ahead, but not past a year. */
export const YEAR_MS = 366 * DAY_MS;

/** Why `ms` is outside the accepted range, or null. */
export function dateRangeProblem(ms: number, nowMs: number, maxAheadMs = DAY_MS): string | null {
  if (Number.isNaN(ms)) return 'must be an ISO date-time';
  if (ms < EARLIEST_MS) return 'must not be before 2006-01-01';
  if (ms > nowMs + maxAheadMs) return maxAheadMs === DAY_MS ? 'must not be more than a day in the future' : `must not be more than ${Math.round(maxAheadMs / DAY_MS)} days in the future`;
  return null;
}

/**
 * An ISO date-time from a client, normalized to UTC ISO and checked against
 * the range above at parse time (the wall clock: schemas run at the edge).
 */
export function isoDateTime(opts: { maxAheadMs?: number } = {}) {
  return z
    .string()
    .max(64, 'must be an ISO date-time')
    .transform((s, ctx) => {
      const ms = Date.parse(s);
      const problem = dateRangeProblem(ms, Date.now(), opts.maxAheadMs);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return new Date(ms).toISOString();
    });
}
