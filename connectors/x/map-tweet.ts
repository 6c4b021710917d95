import type { RawMention } from '../../shared/raw-mention.js';

/** The parts of X API v2 payloads we read (recorded shapes of /2/tweets/search/recent). */
export interface XTweet {
  id: string;
  text: string;
  author_id?: string;
  created_at?: string;
  lang?: string;
  conversation_id?: string;
  referenced_tweets?: Array<{ type: 'replied_to' | 'quoted' | 'retweeted'; id: string }>;
  public_metrics?: { like_count?: number; retweet_count?: number; reply_count?: number; quote_count?: number };
}
export interface XUser {
  id: string;
  username: string;
  name?: string;
  verified?: boolean;
  public_metrics?: { followers_count?: number };
}

/** One tweet as a raw mention; the author comes from the response's `includes.users`. */
export function tweetToMention(t: XTweet, users: ReadonlyMap<string, XUser>, extra: { brand: string | null; query: string | null }): RawMention {
  const u = t.author_id ? users.get(t.author_id) : undefined;
  const handle = u?.username ?? t.author_id ?? 'unknown';
  return {
    platform: 'x',
    externalId: t.id,
    text: t.text,
    createdAt: t.created_at,
    lang: t.lang && t.lang !== 'und' && t.lang !== 'qme' && t.lang !== 'zxx' ? t.lang : null,
    url: `https://x.com/${encodeURIComponent(handle)}/status/${t.id}`,
    author: {
      id: t.author_id ?? null,
      handle,
      name: u?.name ?? null,
      followers: u?.public_metrics?.followers_count ?? 0,
      verified: u?.verified ?? false,
      url: u ? `https://x.com/${encodeURIComponent(u.username)}` : null,
    },
    engagement: {
      likes: t.public_metrics?.like_count ?? 0,
      reposts: (t.public_metrics?.retweet_count ?? 0) + (t.public_metrics?.quote_count ?? 0),
      replies: t.public_metrics?.reply_count ?? 0,
    },
    inReplyTo: t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id ?? null,
    conversationId: t.conversation_id ?? null,
    brand: extra.brand,
    query: extra.query,
  };
}
