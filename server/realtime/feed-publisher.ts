import type { Logger } from '../../shared/log.js';
import type { Mention } from '../../shared/mention.js';
import type { EventBus } from '../../shared/queues.js';
import type { LogEvent, ReplayLog } from './replay-log.js';

export interface FeedLimits {
  batchMs: number;
  /** No socket message is larger: a window's mentions are split into entries under it. */
  maxMessageBytes: number;
  /** Mentions per second (per producing process) past which a window goes out as "N new mentions" instead. */
  burstRate: number;
}

/** Room for what the gateway adds around a payload: event name, epoch, seq, socket.io framing. */
const ENVELOPE_BYTES = 512;

/**
 * The producing side of the queue feed, in every process that stores or
 * changes mentions (workers, API, embedded). Mentions published on the bus
 * also go into the replay log, batched every `batchMs`: one entry
 * per window and kind, split so that no entry (hence no socket message) is
 * larger than `maxMessageBytes`, and summarised when the window is past the
 * burst rate. Each event is appended once, by the process that made it, and
 * the log numbers it: every API process then sends the same entry with the
 * same seq, so numbering is global without anyone coordinating.
 */
export function withFeedPublisher(bus: EventBus, log: ReplayLog, limits: FeedLimits, logger: Logger): EventBus & { flush(): Promise<void> } {
  let created: Mention[] = [];
  // Several changes to one mention inside a window go out once, as its latest version.
  let updated = new Map<string, Mention>();
  let timer: NodeJS.Timeout | null = null;
  // Appends in order: the order of this process's events is kept in the log.
  let chain: Promise<unknown> = Promise.resolve();
  const bucket = { tokens: limits.burstRate, at: Date.now() };
  const maxPayload = Math.max(1024, limits.maxMessageBytes - ENVELOPE_BYTES);

  const append = (event: LogEvent, payload: string) => {
    chain = chain.then(() => log.append(event, payload)).catch((err: unknown) => logger.error('replay log append failed', { event, err }));
  };

  /** Whether `count` mentions fit the rate now (a token bucket holding one second's worth). */
  const withinRate = (count: number) => {
    const t = Date.now();
    bucket.tokens = Math.min(limits.burstRate, bucket.tokens + ((t - bucket.at) / 1000) * limits.burstRate);
    bucket.at = t;
    if (count > bucket.tokens) {
      bucket.tokens = 0;
      return false;
    }
    bucket.tokens -= count;
    return true;
  };

  const emit = (kind: 'created' | 'updated', mentions: Mention[]) => {
    if (mentions.length === 0) return;
    const event: LogEvent = kind === 'created' ? 'mention.created' : 'mention.updated';
    if (!withinRate(mentions.length)) {
      append('mentions.summary', JSON.stringify({ kind, count: mentions.length, reason: 'burst' }));
      return;
    }
    let parts: string[] = [];
    let size = 0;
    let tooLarge = 0;
    const cut = () => {
      if (parts.length) append(event, `{"mentions":[${parts.join(',')}]}`);
      parts = [];
      size = 0;
    };
    for (const m of mentions) {
      const json = JSON.stringify(m);
      const bytes = Buffer.byteLength(json) + 1;
      if (bytes + 20 > maxPayload) {
        tooLarge++;
        continue;
      }
      if (size + bytes + 20 > maxPayload) cut();
      parts.push(json);
      size += bytes;
    }
    cut();
    if (tooLarge) append('mentions.summary', JSON.stringify({ kind, count: tooLarge, reason: 'too_large' }));
  };

  const flush = () => {
    timer = null;
    const [c, u] = [created, [...updated.values()]];
    created = [];
    updated = new Map();
    emit('created', c);
    emit('updated', u);
    return chain.then(() => undefined);
  };
  const later = () => {
    timer ??= setTimeout(() => void flush(), limits.batchMs);
  };

  return {
    publish(topic, payload) {
      if (topic === 'mentions.stored') {
        for (const m of (payload as { mentions: Mention[] }).mentions) created.push(m);
        later();
      } else if (topic === 'mentions.updated') {
        for (const m of (payload as { mentions: Mention[] }).mentions) updated.set(m.id, m);
        later();
      }
      // Still on the bus for other subscribers (the gateway reads the log; a Redis channel nobody subscribes to costs nothing downstream).
      bus.publish(topic, payload);
    },
    subscribe: (topic, handler) => bus.subscribe(topic, handler),
    flush() {
      if (timer) clearTimeout(timer);
      return flush();
    },
    async close() {
      if (timer) clearTimeout(timer);
      await flush();
      await bus.close();
    },
  };
}
