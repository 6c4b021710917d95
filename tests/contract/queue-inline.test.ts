import { silentLogger } from '../../shared/log.js';
import { createInlineQueue } from '../../server/queue/inline-queue.js';
import { registerQueueContract } from './queue-contract.js';

// In process, the producer and the worker are the same queue.
registerQueueContract('inline (embedded mode)', async () => {
  const q = createInlineQueue({ log: silentLogger, maxAttempts: 3, backoffMs: 100 });
  return { producer: q, worker: () => q, cleanup: () => q.close() };
});
