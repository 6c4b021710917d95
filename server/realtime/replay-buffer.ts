import type { MentionBatch } from '../../shared/events.js';

/**
 * The last `capacity` batches, so a client that reconnects can be sent exactly
 * what it missed. A client further behind than the buffer is told to refetch.
 */
export class ReplayBuffer {
  private readonly items: MentionBatch[] = [];
  constructor(private readonly capacity: number) {}

  push(batch: MentionBatch) {
    this.items.push(batch);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  /** Batches after `seq`, or null when some of them are no longer held. */
  since(seq: number, current: number): MentionBatch[] | null {
    if (seq >= current) return [];
    const first = this.items[0];
    if (!first || first.seq > seq + 1) return null;
    return this.items.slice(seq + 1 - first.seq);
  }
}
