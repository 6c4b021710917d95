import type { TweetV2, TwitterApi } from 'twitter-api-v2';
import type { FindReplyQuery, ReplyResult } from '../../shared/connector-ports.js';
import { sameReplyText } from '../reply-match.js';

const PAGES = 10;

/**
 * Whether the brand account already answered a post with this text: its own
 * timeline (GET /2/users/:id/tweets, newest first) since shortly before the
 * lost attempt, looking for a reply to that post. The timeline holds what the
 * account posted in order, where search may lag or leave replies out.
 * Throws when X cannot tell (an error, or more pages than are worth reading).
 */
export async function findXReply(client: TwitterApi, brandUserId: string, q: FindReplyQuery): Promise<ReplyResult | null> {
  // X wants whole seconds; a minute of slack covers clocks that disagree.
  const startTime = new Date(Date.parse(q.since) - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let token: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const res = await client.v2.get<{ data?: TweetV2[]; meta?: { next_token?: string } }>(`users/${brandUserId}/tweets`, {
      start_time: startTime,
      max_results: 100,
      exclude: 'retweets',
      'tweet.fields': 'referenced_tweets,conversation_id,created_at',
      ...(token ? { pagination_token: token } : {}),
    });
    const hit = (res.data ?? []).find((t) => t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === q.inReplyToExternalId) && sameReplyText(t.text, q.text));
    if (hit) return { externalId: hit.id, url: `https://x.com/i/web/status/${hit.id}` };
    token = res.meta?.next_token;
    if (!token) return null;
  }
  throw new Error(`the brand account posted more than ${PAGES * 100} times since ${startTime}; X cannot say quickly whether this reply is among them`);
}
