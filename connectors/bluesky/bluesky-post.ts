import { z } from 'zod';
import type { RawMention } from '../../shared/raw-mention.js';
import { POST_COLLECTION, postUri, postUrl, type PostView } from './bluesky-api.js';
import type { BlueskyAuthor } from './profile-cache.js';

const StrongRef = z.object({ uri: z.string(), cid: z.string() });

/** The fields of app.bsky.feed.post Hark reads. */
export const PostRecordSchema = z.object({
  text: z.string(),
  createdAt: z.string().optional(),
  langs: z.array(z.string()).optional(),
  reply: z.object({ root: StrongRef, parent: StrongRef }).optional(),
});
export type PostRecord = z.output<typeof PostRecordSchema>;

/** Jetstream's events: commits (create / update / delete of a record), identity (handle) and account changes. */
export const JetstreamEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('commit'),
    did: z.string(),
    time_us: z.number().int(),
    commit: z.object({ rev: z.string().optional(), operation: z.enum(['create', 'update', 'delete']), collection: z.string(), rkey: z.string(), record: z.unknown().optional(), cid: z.string().optional() }),
  }),
  z.object({ kind: z.literal('identity'), did: z.string(), time_us: z.number().int(), identity: z.object({ did: z.string(), handle: z.string().optional() }).optional() }),
  z.object({ kind: z.literal('account'), did: z.string(), time_us: z.number().int(), account: z.object({ active: z.boolean().optional() }).optional() }),
]);
export type JetstreamEvent = z.output<typeof JetstreamEventSchema>;

/** A post created on the firehose, ready to match. */
export interface FirehosePost {
  did: string;
  rkey: string;
  cid: string | null;
  record: PostRecord;
  timeUs: number;
}

/** The post of a commit event, or null for anything that is not a new (or edited) post. */
export function postOfEvent(e: JetstreamEvent): FirehosePost | null {
  if (e.kind !== 'commit' || e.commit.collection !== POST_COLLECTION || e.commit.operation === 'delete') return null;
  const record = PostRecordSchema.safeParse(e.commit.record);
  if (!record.success || !record.data.text.trim()) return null;
  return { did: e.did, rkey: e.commit.rkey, cid: e.commit.cid ?? null, record: record.data, timeUs: e.time_us };
}

/** Handles mentioned in the text (@acme.bsky.social), for to: queries. */
export const mentionedHandles = (text: string) => [...text.matchAll(/@([a-z0-9][a-z0-9.-]*\.[a-z]{2,})/gi)].map((m) => m[1]!.toLowerCase());

export function toMention(args: { did: string; rkey: string; record: PostRecord; author: BlueskyAuthor | undefined; engagement?: { likes: number; reposts: number; replies: number }; brand: string; query: string }): RawMention {
  const { did, rkey, record, author } = args;
  const uri = postUri(did, rkey);
  const created = record.createdAt && Number.isFinite(Date.parse(record.createdAt)) ? record.createdAt : undefined;
  return {
    platform: 'bluesky',
    externalId: uri,
    text: record.text,
    createdAt: created,
    lang: record.langs?.[0]?.slice(0, 2).toLowerCase() ?? null,
    url: postUrl(author?.handle ?? did, rkey),
    author: {
      id: did,
      handle: author?.handle ?? did,
      name: author?.name ?? null,
      followers: author?.followers ?? 0,
      url: `https://bsky.app/profile/${encodeURIComponent(author?.handle ?? did)}`,
    },
    engagement: args.engagement ?? { likes: 0, reposts: 0, replies: 0 },
    inReplyTo: record.reply?.parent.uri ?? null,
    conversationId: record.reply?.root.uri ?? uri,
    brand: args.brand,
    query: args.query,
  };
}

/** A search result: the post view carries its author, so no profile lookup is needed for the handle. */
export function viewToParts(v: PostView): { did: string; rkey: string; record: PostRecord; author: BlueskyAuthor; engagement: { likes: number; reposts: number; replies: number } } | null {
  const rec = PostRecordSchema.safeParse(v.record);
  const rkey = v.uri.split('/').pop();
  if (!rec.success || !rkey) return null;
  return {
    did: v.author.did,
    rkey,
    record: rec.data,
    author: { did: v.author.did, handle: v.author.handle, name: v.author.displayName?.trim() || null, followers: 0 },
    engagement: { likes: v.likeCount ?? 0, reposts: (v.repostCount ?? 0) + (v.quoteCount ?? 0), replies: v.replyCount ?? 0 },
  };
}
