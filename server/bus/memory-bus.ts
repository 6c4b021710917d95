import type { EventBus, Topic, TopicPayloads } from '../../shared/queues.js';
import type { Logger } from '../../shared/log.js';

/** In-process bus for embedded mode. A failing subscriber is logged and never breaks the publisher. */
export function createMemoryBus(log: Logger): EventBus {
  const handlers = new Map<Topic, Set<(p: never) => void>>();
  return {
    publish(topic, payload) {
      for (const h of handlers.get(topic) ?? []) {
        try {
          (h as (p: typeof payload) => void)(payload);
        } catch (err) {
          log.error('bus subscriber failed', { topic, err });
        }
      }
    },
    subscribe<T extends Topic>(topic: T, handler: (p: TopicPayloads[T]) => void) {
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      set.add(handler as (p: never) => void);
      return () => set.delete(handler as (p: never) => void);
    },
    async close() {
      handlers.clear();
    },
  };
}
