import type { MentionBatch } from '../../shared/events.js';

export interface ReplayEntry {
  event: 'mention.created' | 'mention.updated';
  batch: MentionBatch;
}

/**
 * The last `capacity` batches, so a client that reconnects can be sent exactly
 * what it missed. A client further behind than the buffer is told to refetch.
 */
export class ReplayBuffer {
  private readonly items: ReplayEntry[] = [];
  constructor(private readonly capacity: number) {}

  push(entry: ReplayEntry) {
    this.items.push(entry);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  /** Batches after `seq`, or null when some of them are no longer held. */
  since(seq: number, current: number): ReplayEntry[] | null {
    if (seq >= current) return [];
    const first = this.items[0];
    if (!first || first.batch.seq > seq + 1) return null;
    return this.items.slice(seq + 1 - first.batch.seq);
  }
}
