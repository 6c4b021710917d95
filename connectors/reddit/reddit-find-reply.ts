import type { FindReplyQuery, ReplyResult } from '../../shared/connector-ports.js';
import { sameReplyText } from '../reply-match.js';
import type { RedditClient } from './reddit-client.js';

const PAGES = 10;

/**
 * Whether the brand's account already commented under that post or comment
 * with this text: its own comments (/user/{name}/comments, newest first)
 * back to shortly before the lost attempt. Throws when Reddit cannot tell.
 */
export async function findRedditReply(client: RedditClient, username: string, q: FindReplyQuery): Promise<ReplyResult | null> {
  const since = Date.parse(q.since) / 1000 - 60;
  let after: string | null = null;
  for (let page = 0; page < PAGES; page++) {
    const l = await client.listing(`/user/${encodeURIComponent(username)}/comments`, { sort: 'new', ...(after ? { after } : {}) });
    for (const c of l.children) {
      if (c.data.parent_id === q.inReplyToExternalId && sameReplyText(c.data.body ?? '', q.text)) {
        return { externalId: c.data.name, url: c.data.permalink ? `https://www.reddit.com${c.data.permalink}` : null };
      }
    }
    const oldest = l.children.at(-1)?.data.created_utc;
    if (!l.after || oldest === undefined || oldest < since) return null;
    after = l.after;
  }
  throw new Error(`u/${username} commented more than ${PAGES * 100} times since the lost attempt; Reddit cannot say quickly whether this reply is among them`);
}
