import type { Author, Engagement, InfluenceScore } from '../../shared/mention.js';

const FOLLOWERS_MAX = 65;
const VERIFIED = 15;
const ENGAGEMENT_MAX = 20;

/**
 * 0-100 in three explainable parts: followers on a log scale (10 → ~10,
 * 10k → ~39, 2M → ~61), a verified badge, and this post's engagement on a
 * log scale. The parts add up to the score.
 */
export function scoreInfluence(author: Author, engagement: Engagement): InfluenceScore {
  const followers = Math.min(FOLLOWERS_MAX, (Math.log10(author.followers + 1) / 7) * FOLLOWERS_MAX);
  const verified = author.verified ? VERIFIED : 0;
  const interactions = engagement.likes + 2 * engagement.reposts + 3 * engagement.replies;
  const eng = Math.min(ENGAGEMENT_MAX, (Math.log10(interactions + 1) / 4) * ENGAGEMENT_MAX);
  const parts = { followers: round(followers), verified, engagement: round(eng) };
  return { score: round(parts.followers + parts.verified + parts.engagement), parts };
}

const round = (n: number) => Math.round(n * 10) / 10;
