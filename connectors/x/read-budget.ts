/**
 * Spaces polls so a plan's monthly read cap (posts read) lasts until the month
 * ends: the next poll waits at least (time left in the month) ÷ (reads left ÷
 * reads per poll). With no cap, the configured interval applies.
 */
export function budgetedInterval(args: { now: Date; cap: number | null; used: number; lastPollReads: number; baseMs: number }): number {
  const { now, cap, used, baseMs } = args;
  if (cap === null) return baseMs;
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const msLeft = Math.max(1, end - now.getTime());
  const left = cap - used;
  if (left <= 0) return msLeft; // spent: wait for the new month
  const perPoll = Math.max(1, args.lastPollReads);
  return Math.max(baseMs, Math.ceil(msLeft / (left / perPoll)));
}

export const monthKey = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
