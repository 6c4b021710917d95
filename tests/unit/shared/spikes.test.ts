import { describe, expect, it } from 'vitest';
import { DEFAULT_SPIKE_RULE, detectSpike } from '../../../shared/spikes.js';

/** A steady stream with a deterministic sprinkle: `perHour` negatives an hour, spread over the minutes. */
const steady = (minutes: number, perHour: number) => Array.from({ length: minutes }, (_, i) => Math.floor(((i + 1) * perHour) / 60) - Math.floor((i * perHour) / 60));

describe('spike rule', () => {
  it('fires on a burst far above the brand baseline within the first minutes', () => {
    const base = steady(750, 30); // a loud brand: 30 negatives an hour
    expect(detectSpike([...base, 8, 9]).spike).toBe(true);
    const v = detectSpike([...base, 8, 9]);
    expect(v.windowMinutes).toBeLessThanOrEqual(3);
    expect(v.rate).toBeCloseTo(0.5, 1);
    expect(detectSpike([...base, 1, 2, 1]).spike).toBe(false);
  });

  it('needs real volume on a quiet brand, and catches its burst over a longer window', () => {
    const quiet = steady(750, 2); // two negatives an hour
    expect(detectSpike([...quiet, 0, 2, 1]).spike).toBe(false); // three posts are not a crisis
    const burst = [...quiet, ...Array.from({ length: 15 }, (_, i) => (i % 2 ? 1 : 0))]; // 7 in 15 minutes ≈ 14× the rate
    const v = detectSpike(burst);
    expect(v.spike).toBe(true);
    expect(v.windowMinutes).toBeGreaterThanOrEqual(10);
    expect(detectSpike([...Array(750).fill(0), 3]).spike).toBe(false); // a brand with no history: three posts are not enough
    expect(detectSpike([...Array(750).fill(0), 6]).spike).toBe(true);
  });

  it('catches a burst at the daily peak, where 5× the day\'s mean is under 3× the last hour', () => {
    const peak = steady(750, 120); // two a minute for the last hours
    const burst = [5, 6, 5, 6, 5]; // 27 in five minutes against 10 expected
    const v = detectSpike([...peak, ...burst]);
    expect(v.spike).toBe(true);
    expect(v.current / v.expected).toBeLessThan(3);
    expect(detectSpike([...peak, ...burst], { ...DEFAULT_SPIKE_RULE, ratio: 3 }).spike).toBe(false);
  });

  it('pages for five posts in five minutes on a two-an-hour brand, not for four', () => {
    const quiet = steady(749, 2); // its last post half an hour ago
    expect(detectSpike([...quiet, 1, 1, 1, 1]).spike).toBe(false);
    expect(detectSpike([...quiet, 1, 1, 1, 1, 1]).spike).toBe(true);
  });

  it('is harder to impress on a bursty brand than on a smooth one with the same average', () => {
    const smooth = steady(750, 60);
    const bursty = Array.from({ length: 750 }, (_, i) => (i % 20 < 2 ? 10 : 0)); // same 60/h, in clumps
    const window = [3, 3, 3];
    const rule = { ...DEFAULT_SPIKE_RULE, windowsMinutes: [3], levelMinutes: 0 }; // same rate for both: only the dispersion differs
    expect(detectSpike([...bursty, ...window], rule).p).toBeGreaterThan(detectSpike([...smooth, ...window], rule).p * 2);
  });

  it('compares with the level of the last hour, so a busy afternoon is not a spike against a quiet night', () => {
    const night = Array(660).fill(0) as number[];
    const afternoon = steady(90, 120); // two a minute for the last hour and a half
    expect(detectSpike([...night, ...afternoon, 2, 3, 2]).spike).toBe(false);
    expect(detectSpike([...night, ...afternoon, 9, 10, 9]).spike).toBe(true);
  });
});
