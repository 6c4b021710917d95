import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../../server/realtime/replay-buffer.js';

const batch = (seq: number) => ({ event: 'mention.created' as const, batch: { epoch: 'e', seq, mentions: [] } });

describe('replay buffer', () => {
  it('returns exactly the batches after a sequence number', () => {
    const b = new ReplayBuffer(5);
    for (let s = 1; s <= 4; s++) b.push(batch(s));
    expect(b.since(4, 4)).toEqual([]);
    expect(b.since(2, 4)!.map((x) => x.batch.seq)).toEqual([3, 4]);
    expect(b.since(0, 4)!.map((x) => x.batch.seq)).toEqual([1, 2, 3, 4]);
  });

  it('says when it no longer holds what was missed', () => {
    const b = new ReplayBuffer(3);
    for (let s = 1; s <= 10; s++) b.push(batch(s));
    expect(b.since(7, 10)!.map((x) => x.batch.seq)).toEqual([8, 9, 10]);
    expect(b.since(6, 10)).toBeNull();
  });
});
