import { resumeDueReplies, type DeliveryDeps } from '../operations/reply-delivery.js';

/**
 * The outbox's sweep in a process that sends replies: every tick it resumes
 * queued replies whose lease ran out (their sender died) through the same
 * claim every sender uses, so several processes sweeping at once still post
 * each reply once. One sweep at a time per process.
 */
export function startReplyOutbox(deps: DeliveryDeps, opts: { tickMs: number }) {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = resumeDueReplies(deps)
      .catch((err: unknown) => deps.log.error('reply outbox sweep failed', { err }))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, opts.tickMs);
  timer.unref();
  tick();
  return {
    /** Runs a sweep now (tests, and after start). */
    sweep: async () => {
      tick();
      await running;
    },
    /** Stops sweeping and waits for the sends under way here (a sweep's, and those requests left running). */
    async close() {
      clearInterval(timer);
      await running;
      await Promise.all([...(deps.outbox.inflight ?? [])]);
    },
  };
}
