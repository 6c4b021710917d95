import { describe, expect, it } from 'vitest';
import type { PriorityInput } from '../../../shared/priority.js';
import { computePriority } from '../../../shared/priority.js';

const input = (over: Partial<PriorityInput> = {}): PriorityInput => ({
  sentiment: { label: 'neutral', score: 0, confidence: 0.5, method: 't' },
  influence: { score: 10, parts: { followers: 10, verified: 0, engagement: 0 } },
  intent: { label: 'other', confidence: 0.5, cues: [] },
  risks: [],
  ...over,
});
const neg = { label: 'negative' as const, score: -0.8, confidence: 0.9, method: 't' };
const big = { score: 85, parts: { followers: 65, verified: 10, engagement: 10 } };

describe('priority', () => {
  it('ranks an influential complaint above the same complaint from a small account', () => {
    const complaint = { label: 'complaint' as const, confidence: 0.8, cues: ['refund'] };
    const small = computePriority(input({ sentiment: neg, intent: complaint }), 40);
    const large = computePriority(input({ sentiment: neg, intent: complaint, influence: big }), 2_000_000);
    expect(large.score).toBeGreaterThan(small.score);
    expect(large.action).toBe('escalate');
    expect(large.reasons).toEqual(expect.arrayContaining(['strongly negative', '2M followers', 'verified author', 'complaint ("refund")']));
    expect(small.action).toBe('respond');
  });

  it('sinks spam and low-reach neutral chatter', () => {
    const spam = computePriority(input({ intent: { label: 'spam', confidence: 0.9, cues: ['giveaway'] } }), 10);
    const chatter = computePriority(input(), 10);
    expect(spam.action).toBe('dismiss');
    expect(spam.score).toBeLessThan(chatter.score);
    expect(chatter.action).toBe('dismiss');
  });

  it('escalates anything with a legal or safety risk', () => {
    const p = computePriority(input({ risks: ['legal'] }), 10);
    expect(p.action).toBe('escalate');
    expect(p.reasons).toContain('risk: legal');
  });

  it('stays within 0-100', () => {
    const p = computePriority(input({ sentiment: { ...neg, score: -1 }, influence: { score: 100, parts: { followers: 70, verified: 15, engagement: 15 } }, intent: { label: 'complaint', confidence: 1, cues: [] }, risks: ['safety'] }), 5e7);
    expect(p.score).toBe(100);
  });
});
