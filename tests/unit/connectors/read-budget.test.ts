import { describe, expect, it } from 'vitest';
import { budgetedInterval, monthKey } from '../../../connectors/x/read-budget.js';

describe('X read budget', () => {
  const now = new Date('2026-11-16T00:00:00Z'); // 15 days left in November
  it('keeps the base interval when the cap is far away', () => {
    expect(budgetedInterval({ now, cap: null, used: 0, lastPollReads: 100, baseMs: 60_000 })).toBe(60_000);
    expect(budgetedInterval({ now, cap: 10_000_000, used: 0, lastPollReads: 10, baseMs: 60_000 })).toBe(60_000);
  });
  it('spaces polls so the rest of the cap lasts the rest of the month', () => {
    // 15 days left, 1,500 reads left, 100 per poll: 15 polls, one a day.
    expect(budgetedInterval({ now, cap: 10_000, used: 8_500, lastPollReads: 100, baseMs: 60_000 })).toBe(86_400_000);
  });
  it('waits for the next month once the cap is spent', () => {
    expect(budgetedInterval({ now, cap: 10_000, used: 10_000, lastPollReads: 100, baseMs: 60_000 })).toBe(15 * 86_400_000);
    expect(monthKey(now)).toBe('2026-11');
  });
});
