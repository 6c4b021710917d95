import type { ReplyRequest, ReplyResult } from '../shared/connector-ports.js';

/**
 * One post per idempotency key: concurrent and repeated calls with a key
 * share its first attempt, and a failed attempt is forgotten so the key may
 * be retried. The newest `max` keys are remembered (the store keeps the
 * reply for good; this only guards the moments around a send).
 */
export function oncePerKey(send: (req: ReplyRequest) => Promise<ReplyResult>, max = 10_000): (req: ReplyRequest) => Promise<ReplyResult> {
  const sent = new Map<string, Promise<ReplyResult>>();
  return (req) => {
    let p = sent.get(req.idempotencyKey);
    if (!p) {
      p = send(req);
      p.catch(() => sent.delete(req.idempotencyKey));
      sent.set(req.idempotencyKey, p);
      if (sent.size > max) sent.delete(sent.keys().next().value!);
    }
    return p;
  };
}
