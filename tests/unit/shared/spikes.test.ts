import { describe, expect, it } from 'vitest';
import { detectSpike } from '../../../shared/spikes.js';

describe('spike rule', () => {
  it('fires on a burst far above the brand baseline, not on noise or a quiet brand', () => {
    const steady = Array.from({ length: 144 }, (_, i) => 2 + (i % 3));
    expect(detectSpike([...steady, 30]).spike).toBe(true);
    expect(detectSpike([...steady, 7]).spike).toBe(false);
    expect(detectSpike([...Array(144).fill(0), 4]).spike).toBe(false); // a quiet brand needs real volume
    expect(detectSpike([...Array(144).fill(0), 10]).spike).toBe(true);
    const noisy = Array.from({ length: 144 }, (_, i) => (i % 2 ? 20 : 2));
    expect(detectSpike([...noisy, 30]).spike).toBe(false);
  });
});
