import type { Connector } from '../../connectors/connector.js';
import { HarkError } from '../../shared/errors.js';
import type { ReplySender } from '../operations/replies.js';

/** Routes a reply to the running connector of the mention's platform that can post replies. */
export function createReplySender(connectors: () => Connector[], timeoutMs = 15_000): ReplySender {
  return async (platform, req) => {
    const c = connectors().find((x) => x.platform === platform && typeof x.reply === 'function');
    if (!c?.reply) throw new HarkError('bad_request', 422, `No running connector can reply on ${platform}`);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        c.reply(req),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new HarkError('unavailable', 503, `${platform} did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
}
