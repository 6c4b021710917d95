import type { ReplyResult } from '../shared/connector-ports.js';
import type { Connector } from './connector.js';
import { oncePerKey } from './once-per-key.js';

/**
 * Gives the demo simulator a reply endpoint that behaves like a network's:
 * a short delay, a posted id and URL, and one post per idempotency key.
 */
export function withSimulatedReplies(c: Connector, opts: { delayMs?: number } = {}): Connector {
  let n = 0;
  return {
    id: c.id,
    platform: c.platform,
    run: (ctx) => c.run(ctx),
    reply: oncePerKey(
      () =>
        new Promise<ReplyResult>((resolve) =>
          setTimeout(() => {
            const id = `sim-reply-${++n}`;
            resolve({ externalId: id, url: `https://demo.hark.invalid/replies/${id}` });
          }, opts.delayMs ?? 80),
        ),
    ),
  };
}
