import { Redis } from 'ioredis';
import type { Logger } from '../../shared/log.js';
import type { EventBus, Topic, TopicPayloads } from '../../shared/queues.js';

const PREFIX = 'hark:bus:';

/**
 * The bus across processes (distributed mode): Redis pub/sub, one channel per
 * topic, JSON payloads. Workers publish; the API process turns topics into
 * socket events. Delivery is at-most-once, like the in-process bus: anything
 * that must not be lost is in the store first, and clients resync from it.
 */
export async function createRedisBus(url: string, log: Logger): Promise<EventBus & { ready(): Promise<void> }> {
  const pub = new Redis(url, { maxRetriesPerRequest: null, connectionName: 'hark-bus-pub' });
  const sub = new Redis(url, { maxRetriesPerRequest: null, connectionName: 'hark-bus-sub' });
  await Promise.all([pub.ping(), sub.ping()]);
  const handlers = new Map<Topic, Set<(p: never) => void>>();
  const subscribing = new Set<Promise<unknown>>();
  sub.on('message', (channel: string, message: string) => {
    const topic = channel.slice(PREFIX.length) as Topic;
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch (err) {
      log.error('bus message is not JSON', { topic, err });
      return;
    }
    for (const h of handlers.get(topic) ?? []) {
      try {
        (h as (p: unknown) => void)(payload);
      } catch (err) {
        log.error('bus subscriber failed', { topic, err });
      }
    }
  });
  for (const c of [pub, sub]) c.on('error', (err: Error) => log.warn('redis bus connection error', { err: err.message }));
  return {
    publish(topic, payload) {
      pub.publish(PREFIX + topic, JSON.stringify(payload)).catch((err: unknown) => log.error('bus publish failed', { topic, err }));
    },
    subscribe<T extends Topic>(topic: T, handler: (p: TopicPayloads[T]) => void) {
      let set = handlers.get(topic);
      if (!set) {
        handlers.set(topic, (set = new Set()));
        const p = sub.subscribe(PREFIX + topic).catch((err: unknown) => log.error('bus subscribe failed', { topic, err }));
        subscribing.add(p);
        void p.finally(() => subscribing.delete(p));
      }
      set.add(handler as (p: never) => void);
      return () => set.delete(handler as (p: never) => void);
    },
    /** Resolves once every subscription made so far is active on Redis. */
    async ready() {
      await Promise.all(subscribing);
    },
    async close() {
      await Promise.all(subscribing);
      handlers.clear();
      await Promise.all([sub.quit(), pub.quit()]).catch(() => undefined);
    },
  };
}

