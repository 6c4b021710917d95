import type { DemoAccount, User } from './auth.js';
import type { Mention } from './mention.js';
import type { MentionPage } from './mention-query.js';
import type { RollupBucket } from './store.js';

/** Response bodies of the HTTP API, shared by server and client. */
/**
 * GET /api/health. `ok`: everything answers. `degraded`: Hark serves but a
 * part is away or behind (Redis, the queue, a connector without a holder).
 * `down` (HTTP 503): it cannot serve (the store does not answer). Anonymous
 * callers get the status word only; managers get `detail`.
 */
export type HealthStatus = 'ok' | 'degraded' | 'down';
export interface HealthProbe {
  ok: boolean;
  latencyMs: number | null;
  error?: string;
}
export interface HealthDetail {
  role: string;
  checkedAt: string;
  store: HealthProbe & { kind: string };
  /** null in embedded mode (no Redis). */
  redis: HealthProbe | null;
  queue: { ok: boolean; waiting: number | null; active: number | null; delayed: number | null; deadLetters: number | null; oldestWaitingAgeMs: number | null; error?: string };
  leases: Array<{ name: string; holder: string; expiresAt: string; expired: boolean }>;
  /** Why the status is not ok, in words. */
  problems: string[];
}
export interface HealthResponse {
  status: HealthStatus;
  detail?: HealthDetail;
}
export interface SessionResponse {
  user: User;
}
export interface DemoInfoResponse {
  demo: boolean;
  accounts: DemoAccount[];
}
export type MentionListResponse = MentionPage;
export interface MentionResponse {
  mention: Mention;
}
export interface WallResponse {
  buckets: RollupBucket[];
}
/** Phrases rising in the last window against the brand's previous 12 hours, for the wall. */
export interface RisingTopicItem {
  brand: string;
  phrase: string;
  /** People who used the phrase in the window (one account repeating itself counts once). */
  count: number;
  /** People expected to use it in the window at the baseline's share. */
  expected: number;
  lift: number;
  /** Share of the posts with this phrase that are negative, 0..1. */
  negativeShare: number;
  exampleMentionIds: string[];
  /** The loudest people using it (by followers), up to five. */
  people?: Array<{ handle: string; platform: string; followers: number }>;
}
export interface RisingTopicsResponse {
  windowMinutes: number;
  computedAt: string;
  items: RisingTopicItem[];
  /** Brands without a baseline yet: for them only what a crowd says at once is shown. */
  learning?: string[];
}
export interface ImportResponse {
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** Line numbers are known for rows the parser refused; pipeline refusals carry null. */
  errors: Array<{ line: number | null; message: string }>;
  ms: number;
}

/** One of the signed-in user's sessions, as `GET /api/account/sessions` lists them (never the token). */
export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** Address and browser at sign-in. */
  ip: string | null;
  userAgent: string | null;
  /** The session this request came with. */
  current: boolean;
}
export interface SessionListResponse {
  items: SessionView[];
}
