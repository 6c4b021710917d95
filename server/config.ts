import { z } from 'zod';
import os from 'node:os';
import path from 'node:path';
import { listeningQueries, onOff } from './config-parts.js';
import { blueskyMastodonConfig, blueskyMastodonEnv, checkBlueskyMastodonEnv, type BlueskyConfig, type MastodonConfig } from './config-bluesky-mastodon.js';


const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** Proxies whose X-Forwarded-* headers are believed: express's `trust proxy` names, addresses or CIDRs, or a hop count. */
const trustProxy = z
  .string()
  .trim()
  .transform((s, ctx): string[] | number | false => {
    if (['off', 'false', '0', 'none'].includes(s)) return false;
    if (/^\d{1,2}$/.test(s)) return Number(s);
    const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
    for (const p of parts) {
      const ok = ['loopback', 'linklocal', 'uniquelocal'].includes(p) || isIp(p.split('/')[0]!) ;
      if (!ok) {
        ctx.addIssue({ code: 'custom', message: `TRUST_PROXY: ${p} is not loopback, linklocal, uniquelocal, an address, a CIDR or a hop count` });
        return z.NEVER;
      }
    }
    return parts;
  });
const isIp = (s: string) => /^(\d{1,3}\.){3}\d{1,3}$/.test(s) || (/^[0-9a-f:]+$/i.test(s) && s.includes(':'));

/** Origins (scheme://host[:port]) besides the app's own that may send state-changing requests and open sockets. */
const origins = z
  .string()
  .transform((s, ctx) => {
    const out: string[] = [];
    for (const raw of s.split(',').map((x) => x.trim()).filter(Boolean)) {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        ctx.addIssue({ code: 'custom', message: `ALLOWED_ORIGINS: ${raw} is not an origin like https://hark.example.com` });
        return z.NEVER;
      }
      if (!/^https?:$/.test(u.protocol) || u.origin !== raw.replace(/\/$/, '')) {
        ctx.addIssue({ code: 'custom', message: `ALLOWED_ORIGINS: ${raw} must be scheme://host[:port] with no path` });
        return z.NEVER;
      }
      out.push(u.origin);
    }
    return out;
  });

/**
 * Every setting Hark reads, validated once at start. Nothing else reads
 * process.env. Each variable is documented in README.md ("Configuration").
 */
const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    DATA_DIR: z.string().default('./data'),
    STORE: z.enum(['sqlite', 'mongo'], 'STORE is sqlite or mongo').default('sqlite'),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/[^\s/]+(\/[A-Za-z0-9_-]*)?(\?\S*)?$/, 'MONGODB_URI looks like mongodb://host:27017/hark')
      .optional(),
    MONGODB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    SIMULATOR: onOff().default(true),
    SIMULATOR_RATE: z.coerce.number().min(0).max(50_000).default(3),
    SIMULATOR_BRANDS: list.default(['Acme Air', 'Nimbus Mobile', 'Brightbank']),
    HARK_ADMIN_EMAIL: z.string().trim().toLowerCase().email('HARK_ADMIN_EMAIL must be an email address').optional(),
    HARK_ADMIN_PASSWORD: z.string().min(8, 'HARK_ADMIN_PASSWORD must be at least 8 characters').optional(),
    SESSION_TTL_HOURS: z.coerce.number().min(0.01).max(24 * 90).default(12),
    COOKIE_SECURE: onOff().default(false),
    TRUST_PROXY: trustProxy.default(false),
    ALLOWED_ORIGINS: origins.default([]),
    REALTIME_BATCH_MS: z.coerce.number().int().min(10).max(2000).default(150),
    // The replay log is bounded in bytes; REALTIME_REPLAY_BATCHES (the old bound) still caps its entries.
    REALTIME_REPLAY_MB: z.coerce.number().min(0.1).max(4096).default(16),
    REALTIME_REPLAY_BATCHES: z.coerce.number().int().min(10).max(1_000_000).default(20_000),
    REALTIME_MAX_MESSAGE_KB: z.coerce.number().int().min(16).max(16_384).default(256),
    REALTIME_BURST_RATE: z.coerce.number().int().min(1).max(1_000_000).default(2000),
    PIPELINE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    // Scoring threads; 1 scores in the pipeline's own thread, as before the pool.
    PIPELINE_THREADS: z.coerce
      .number('PIPELINE_THREADS must be a whole number of threads (1 scores in the main thread)')
      .int('PIPELINE_THREADS must be a whole number of threads (1 scores in the main thread)')
      .min(1, 'PIPELINE_THREADS must be at least 1 (1 scores in the main thread)')
      .max(256, 'PIPELINE_THREADS must be at most 256')
      .default(() => os.availableParallelism()),
    IMPORT_MAX_MB: z.coerce.number().min(1).max(100_000).default(1024),
    IMPORT_MAX_LINE_BYTES: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024),
    REPLY_LEASE_SECONDS: z.coerce.number().min(3).max(3600).default(60),
    SWEEP_SECONDS: z.coerce.number().min(0.05).max(3600).default(10),
    LEASE_SECONDS: z.coerce.number().min(0.2).max(3600).default(15),
    QUEUE_LOCK_SECONDS: z.coerce.number().min(1).max(3600).default(30),
    HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    X_BEARER_TOKEN: z.string().min(10, 'X_BEARER_TOKEN looks too short').optional(),
    X_API_KEY: z.string().min(10, 'X_API_KEY looks too short').optional(),
    X_API_SECRET: z.string().min(10, 'X_API_SECRET looks too short').optional(),
    X_ACCESS_TOKEN: z.string().min(10, 'X_ACCESS_TOKEN looks too short').optional(),
    X_ACCESS_SECRET: z.string().min(10, 'X_ACCESS_SECRET looks too short').optional(),
    X_CLIENT_ID: z.string().min(10, 'X_CLIENT_ID looks too short').optional(),
    X_CLIENT_SECRET: z.string().min(10, 'X_CLIENT_SECRET looks too short').optional(),
    X_OAUTH2_AUTHORIZE_URL: z.string().url('X_OAUTH2_AUTHORIZE_URL must be a URL').default('https://x.com/i/oauth2/authorize'),
    X_OAUTH2_TOKEN_URL: z.string().url('X_OAUTH2_TOKEN_URL must be a URL').default('https://api.x.com/2/oauth2/token'),
    X_OAUTH2_REDIRECT_URI: z.string().url('X_OAUTH2_REDIRECT_URI must be a URL (the callback registered with X)').optional(),
    X_QUERIES: listeningQueries('X_QUERIES').optional(),
    X_POLL_SECONDS: z.coerce.number().min(0.05).max(86_400).default(60),
    X_MODE: z.enum(['poll', 'stream'], 'X_MODE is poll or stream').default('poll'),
    REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'REDIS_URL looks like redis://host:6379').optional(),
    HARK_SECRET_KEY: z.string().min(32, 'HARK_SECRET_KEY must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
    X_API_BASE_URL: z.string().url('X_API_BASE_URL must be a URL').optional(),
    X_BRAND_USER_ID: z.string().regex(/^\d{1,25}$/, 'X_BRAND_USER_ID is the numeric id of the brand account').optional(),
    X_BRAND: z.string().min(1).max(128).optional(),
    X_MONTHLY_READ_CAP: z.coerce.number().int().min(1).optional(),
    REDDIT_CLIENT_ID: z.string().min(1).optional(),
    REDDIT_CLIENT_SECRET: z.string().min(1).optional(),
    REDDIT_USERNAME: z.string().min(1).optional(),
    REDDIT_PASSWORD: z.string().min(1).optional(),
    REDDIT_USER_AGENT: z.string().min(5).default('hark/0.1 (social listening)'),
    REDDIT_SUBREDDITS: list.default([]),
    REDDIT_QUERIES: listeningQueries('REDDIT_QUERIES').optional(),
    REDDIT_POLL_SECONDS: z.coerce.number().min(0.05).max(86_400).default(60),
    REDDIT_API_BASE_URL: z.string().url('REDDIT_API_BASE_URL must be a URL').optional(),
    REDDIT_AUTH_URL: z.string().url('REDDIT_AUTH_URL must be a URL').optional(),
    ...blueskyMastodonEnv,
  })
  .refine((v) => v.REALTIME_REPLAY_MB * 1024 >= v.REALTIME_MAX_MESSAGE_KB * 4, {
    message: 'REALTIME_REPLAY_MB must hold at least four messages of REALTIME_MAX_MESSAGE_KB',
    path: ['REALTIME_REPLAY_MB'],
  })
  .superRefine(checkBlueskyMastodonEnv)
  .refine((v) => (v.HARK_ADMIN_EMAIL === undefined) === (v.HARK_ADMIN_PASSWORD === undefined), {
    message: 'set HARK_ADMIN_EMAIL and HARK_ADMIN_PASSWORD together',
    path: ['HARK_ADMIN_PASSWORD'],
  })
  .refine((v) => [v.X_API_KEY, v.X_API_SECRET, v.X_ACCESS_TOKEN, v.X_ACCESS_SECRET].every((x) => x === undefined) || [v.X_API_KEY, v.X_API_SECRET, v.X_ACCESS_TOKEN, v.X_ACCESS_SECRET].every((x) => x !== undefined), {
    message: 'set X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET together (the brand account\'s OAuth 1.0a tokens)',
    path: ['X_ACCESS_SECRET'],
  })
  .refine((v) => (v.X_CLIENT_ID === undefined) === (v.X_CLIENT_SECRET === undefined), {
    message: 'set X_CLIENT_ID and X_CLIENT_SECRET together',
    path: ['X_CLIENT_SECRET'],
  })
  .refine((v) => v.STORE !== 'mongo' || v.MONGODB_URI !== undefined, {
    message: 'STORE=mongo needs MONGODB_URI (e.g. mongodb://127.0.0.1:27017/hark)',
    path: ['MONGODB_URI'],
  })
  // The database is named in the URI, so two installs on one server never share one by accident.
  .refine((v) => v.STORE !== 'mongo' || v.MONGODB_URI === undefined || /^mongodb(\+srv)?:\/\/[^/]+\/[A-Za-z0-9_-]+/.test(v.MONGODB_URI), {
    message: 'MONGODB_URI must name the database, e.g. mongodb://127.0.0.1:27017/hark',
    path: ['MONGODB_URI'],
  })
  .refine((v) => (v.REDDIT_CLIENT_ID === undefined) === (v.REDDIT_CLIENT_SECRET === undefined), {
    message: 'set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET together',
    path: ['REDDIT_CLIENT_SECRET'],
  })
  .refine((v) => (v.REDDIT_USERNAME === undefined) === (v.REDDIT_PASSWORD === undefined), {
    message: 'set REDDIT_USERNAME and REDDIT_PASSWORD together',
    path: ['REDDIT_PASSWORD'],
  });

export type Env = z.input<typeof EnvSchema>;
/** The name of every variable Hark reads (.env.example lists them all). */
export const ENV_NAMES: readonly string[] = Object.keys(EnvSchema.shape);

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  store: 'sqlite' | 'mongo';
  /** STORE=mongo: where MongoDB is, and how long to wait for it at start. */
  mongo: { uri: string; connectTimeoutMs: number } | null;
  simulator: { enabled: boolean; rate: number; brands: string[] };
  /** Demo mode: the simulator feeds data, so demo sign-ins are offered when no admin is configured. */
  demo: boolean;
  admin: { email: string; password: string } | null;
  sessionTtlMs: number;
  cookieSecure: boolean;
  /** Who may set X-Forwarded-For/-Proto/-Host (express `trust proxy`); false: nobody, the peer is the client. */
  trustProxy: string[] | number | false;
  /** Origins allowed besides the app's own (derived from the request's Host). */
  allowedOrigins: string[];
  realtime: {
    batchMs: number;
    /** Bounds of the replay log shared by the API processes (the older entries go first). */
    replayMaxBytes: number;
    replayMaxEntries: number;
    /** No socket message carrying mentions is larger (bigger batches are split or summarised). */
    maxMessageBytes: number;
    /** Mentions per second, per producing process, past which browsers get "N new mentions" instead. */
    burstRate: number;
  };
  pipelineBatchSize: number;
  /** Scoring threads (PIPELINE_THREADS, default the core count); 1: scoring in the pipeline's thread, no pool. */
  pipelineThreads: number;
  importMaxBytes: number;
  /** A line (JSONL) or record (CSV) of an import longer than this is that row's error. */
  importMaxLineBytes: number;
  /** How long a reply sender's claim holds before another process may take the reply over. */
  replyLeaseMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Tick of the timed sweeps (snoozes, SLA breaches, spikes). */
  sweepMs: number;
  /** How long a lease (timed duty, connector) outlives its holder's last renewal: the takeover time after a crash. */
  leaseMs: number;
  /** How long a worker's claim on a batch outlives the worker (BullMQ lock): the takeover time after a worker is killed. */
  queueLockMs: number;
  /** Roles without HTTP (worker, connectors) answer GET /health on this port when set. */
  healthPort: number | null;
  /** Encrypts credentials entered in the UI; without it they can come from env only. */
  secretKey: string | null;
  /** Distributed mode: BullMQ queue and Redis bus, so api, worker and connectors can run as separate processes. */
  redisUrl: string | null;
  /** X defaults from env; admins may override them (and enter credentials) in the UI. */
  x: {
    bearerToken: string | null;
    /** The brand account's OAuth 1.0a tokens, for replies. */
    oauth1: { apiKey: string; apiSecret: string; accessToken: string; accessSecret: string } | null;
    /** The OAuth 2.0 client through which an admin connects the brand account (Authorization Code with PKCE). */
    oauth2Client: { clientId: string; clientSecret: string } | null;
    oauth2: { authorizeUrl: string; tokenUrl: string; redirectUri: string | null };
    queries: Array<{ id: string; brand: string; query: string }>;
    mode: 'poll' | 'stream';
    pollMs: number;
    baseUrl: string | null;
    brandUserId: string | null;
    brand: string | null;
    monthlyReadCap: number | null;
  };
  /** Bluesky and Mastodon defaults from env (server/config-bluesky-mastodon.ts), likewise. */
  bluesky: BlueskyConfig;
  mastodon: MastodonConfig;
  /** Reddit defaults from env, likewise. */
  reddit: {
    auth: { clientId: string; clientSecret: string; username?: string; password?: string } | null;
    userAgent: string;
    subreddits: string[];
    queries: Array<{ id: string; brand: string; query: string }>;
    pollMs: number;
    baseUrl: string | null;
    authUrl: string | null;
  };
}

export class ConfigError extends Error {}

/** Reads the environment (or a given object, for tests) and returns a frozen Config. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const relevant = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const v = parsed.data;
  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    dataDir: path.resolve(v.DATA_DIR),
    store: v.STORE,
    mongo: v.STORE === 'mongo' && v.MONGODB_URI ? { uri: v.MONGODB_URI, connectTimeoutMs: v.MONGODB_CONNECT_TIMEOUT_MS } : null,
    simulator: { enabled: v.SIMULATOR, rate: v.SIMULATOR_RATE, brands: v.SIMULATOR_BRANDS },
    demo: v.SIMULATOR,
    admin: v.HARK_ADMIN_EMAIL && v.HARK_ADMIN_PASSWORD ? { email: v.HARK_ADMIN_EMAIL, password: v.HARK_ADMIN_PASSWORD } : null,
    sessionTtlMs: v.SESSION_TTL_HOURS * 3_600_000,
    cookieSecure: v.COOKIE_SECURE,
    trustProxy: v.TRUST_PROXY,
    allowedOrigins: v.ALLOWED_ORIGINS,
    realtime: {
      batchMs: v.REALTIME_BATCH_MS,
      replayMaxBytes: Math.round(v.REALTIME_REPLAY_MB * 1048576),
      replayMaxEntries: v.REALTIME_REPLAY_BATCHES,
      maxMessageBytes: v.REALTIME_MAX_MESSAGE_KB * 1024,
      burstRate: v.REALTIME_BURST_RATE,
    },
    pipelineBatchSize: v.PIPELINE_BATCH_SIZE,
    pipelineThreads: v.PIPELINE_THREADS,
    importMaxBytes: Math.round(v.IMPORT_MAX_MB * 1024 * 1024),
    importMaxLineBytes: v.IMPORT_MAX_LINE_BYTES,
    replyLeaseMs: v.REPLY_LEASE_SECONDS * 1000,
    logLevel: v.LOG_LEVEL,
    sweepMs: v.SWEEP_SECONDS * 1000,
    leaseMs: v.LEASE_SECONDS * 1000,
    healthPort: v.HEALTH_PORT ?? null,
    queueLockMs: v.QUEUE_LOCK_SECONDS * 1000,
    secretKey: v.HARK_SECRET_KEY ?? null,
    redisUrl: v.REDIS_URL ?? null,
    ...blueskyMastodonConfig(v),
    reddit: {
      auth: v.REDDIT_CLIENT_ID && v.REDDIT_CLIENT_SECRET ? { clientId: v.REDDIT_CLIENT_ID, clientSecret: v.REDDIT_CLIENT_SECRET, ...(v.REDDIT_USERNAME && v.REDDIT_PASSWORD ? { username: v.REDDIT_USERNAME, password: v.REDDIT_PASSWORD } : {}) } : null,
      userAgent: v.REDDIT_USER_AGENT,
      subreddits: v.REDDIT_SUBREDDITS,
      queries: v.REDDIT_QUERIES ?? [],
      pollMs: v.REDDIT_POLL_SECONDS * 1000,
      baseUrl: v.REDDIT_API_BASE_URL ?? null,
      authUrl: v.REDDIT_AUTH_URL ?? null,
    },
    x: {
      bearerToken: v.X_BEARER_TOKEN ?? null,
      oauth1: v.X_API_KEY && v.X_API_SECRET && v.X_ACCESS_TOKEN && v.X_ACCESS_SECRET ? { apiKey: v.X_API_KEY, apiSecret: v.X_API_SECRET, accessToken: v.X_ACCESS_TOKEN, accessSecret: v.X_ACCESS_SECRET } : null,
      oauth2Client: v.X_CLIENT_ID && v.X_CLIENT_SECRET ? { clientId: v.X_CLIENT_ID, clientSecret: v.X_CLIENT_SECRET } : null,
      oauth2: { authorizeUrl: v.X_OAUTH2_AUTHORIZE_URL, tokenUrl: v.X_OAUTH2_TOKEN_URL, redirectUri: v.X_OAUTH2_REDIRECT_URI ?? null },
      queries: v.X_QUERIES ?? [],
      mode: v.X_MODE,
      pollMs: v.X_POLL_SECONDS * 1000,
      baseUrl: v.X_API_BASE_URL ?? null,
      brandUserId: v.X_BRAND_USER_ID ?? null,
      brand: v.X_BRAND ?? null,
      monthlyReadCap: v.X_MONTHLY_READ_CAP ?? null,
    },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): Readonly<T> {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
