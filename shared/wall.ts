import { z } from 'zod';
import type { Alert } from './spikes.js';
import type { RisingTopicsResponse } from './api.js';
import type { SentimentLabel } from './mention.js';

/** The wall's panels, in the order the big screen lays them out. */
export const WALL_PANELS = ['sentiment', 'volume', 'share', 'topics', 'influencers', 'alerts', 'queue'] as const;
export type WallPanel = (typeof WALL_PANELS)[number];
export const WALL_PANEL_NAMES: Record<WallPanel, string> = {
  sentiment: 'Net sentiment',
  volume: 'Volume by sentiment',
  share: 'Share of voice',
  topics: 'Rising topics',
  influencers: 'Top influencers now',
  alerts: 'Open alerts',
  queue: 'Queue health',
};
/** How far back "now" looks for the gauges and the influencers. */
export const WALL_RANGES = ['15m', '60m', '4h', '24h'] as const;
export type WallRange = (typeof WALL_RANGES)[number];
export const WALL_RANGE_MINUTES: Record<WallRange, number> = { '15m': 15, '60m': 60, '4h': 240, '24h': 1440 };

const csv = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((v) => {
    if (v === undefined || v === '') return undefined;
    const arr = Array.isArray(v) ? v : String(v).split(',');
    return arr.map((s) => String(s).trim()).filter(Boolean);
  }, z.array(item).max(max).optional());

/** The wall's layout, as in its link (`#/wall?screen=1&brands=…`) and in GET /api/wall/screen. */
export const WallLayoutSchema = z
  .object({
    brands: csv(z.string().min(1).max(128), 20),
    networks: csv(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'networks: lowercase network names'), 20),
    langs: csv(z.string().regex(/^[a-z]{2,8}$/, 'langs: language codes such as en, fr'), 20),
    range: z.enum(WALL_RANGES).default('15m'),
    panels: csv(z.enum(WALL_PANELS), WALL_PANELS.length),
  })
  .strict();
export type WallLayout = z.output<typeof WallLayoutSchema>;

export interface WallBrandNow {
  brand: string;
  role: 'own' | 'competitor';
  competitorOf: string | null;
  /** Net sentiment over the range, −100..100; null without mentions. */
  net: number | null;
  total: number;
  /** The mentions behind `net`, so a screen can add what arrives live. */
  counts: { negative: number; neutral: number; positive: number };
  /** The 24 hours before now, by hour, oldest first (null where there were no mentions). */
  trend: Array<{ start: string; net: number | null; total: number }>;
  /** Still learning this brand's normal: minutes of history it has, of the minutes the spike rule needs. */
  learning: { minutes: number; needed: number } | null;
}
export interface WallVolumePoint {
  start: string;
  negative: number;
  neutral: number;
  positive: number;
}
export interface WallShare {
  /** The own brand and its competitors, the own brand first. */
  brand: string;
  rivals: Array<{ brand: string; role: 'own' | 'competitor'; total: number; share: number; net: number | null }>;
}
export interface WallInfluencer {
  platform: string;
  handle: string;
  name: string | null;
  followers: number;
  /** Hark's influence score of their loudest mention, 0..100. */
  influence: number;
  brand: string | null;
  mentions: number;
  /** Sentiment of their latest mention. */
  sentiment: SentimentLabel;
  latestText: string;
  latestMentionId: string;
}
export interface WallExample {
  id: string;
  handle: string;
  text: string;
  sentiment: SentimentLabel;
  createdAt: string;
}
export interface WallAlert {
  alert: Alert;
  examples: WallExample[];
}
export interface WallQueueHealth {
  unanswered: number;
  /** True when there are more than `unanswered` (counted up to a cap). */
  unansweredCapped: boolean;
  oldestWaitingAt: string | null;
  medianFirstResponseSeconds: number | null;
  firstResponsesToday: number;
  slaBreaches: number;
}
export interface WallScreenResponse {
  computedAt: string;
  layout: WallLayout;
  brands: WallBrandNow[];
  volume: { minutes: WallVolumePoint[]; hours: WallVolumePoint[] };
  share: WallShare[];
  topics: RisingTopicsResponse;
  influencers: WallInfluencer[];
  alerts: WallAlert[];
  queue: WallQueueHealth;
}
