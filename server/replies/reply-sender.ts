import type { Connector } from '../../connectors/connector.js';
import { HarkError } from '../../shared/errors.js';
import type { ReplyNetwork } from '../operations/reply-delivery.js';

/**
 * Routes a reply to the connector of the mention's platform that can post
 * replies, and asks it whether a reply is already there. Both calls give up
 * after `timeoutMs`, which the outbox keeps well inside a sender's lease.
 */
export function createReplyNetwork(connectors: () => Connector[], timeoutMs = 15_000): ReplyNetwork {
  const find = (platform: string) => connectors().find((x) => x.platform === platform && typeof x.reply === 'function');
  const within = async <T>(platform: string, p: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        p,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new HarkError('unavailable', 503, `${platform} did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async post(platform, req) {
      const c = find(platform);
      if (!c?.reply) throw new HarkError('bad_request', 422, `No running connector can reply on ${platform}`);
      return within(platform, c.reply(req));
    },
    async find(platform, q) {
      const c = find(platform);
      if (!c) return { unknown: `no running connector can reply on ${platform}` };
      if (!c.findReply) return { unknown: `${platform} offers no way to look for a posted reply` };
      try {
        return { found: await within(platform, c.findReply(q)) };
      } catch (e) {
        return { unknown: `${platform} could not be asked (${e instanceof Error ? e.message : String(e)})` };
      }
    },
  };
}
