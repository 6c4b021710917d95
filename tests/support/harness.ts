import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/events.js';
import type { Role } from '../../shared/auth.js';
import { loadConfig } from '../../server/config.js';
import { startHark, type Hark } from '../../server/hark.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { testStoreEnv } from './test-store.js';

export interface Harness {
  hark: Hark;
  dataDir: string;
  /** STORE/MONGODB_URI of this harness's store (empty on SQLite): a restart in a test passes them again. */
  storeEnv: Record<string, string>;
  /** Creates a user and returns a signed-in client for it. */
  signIn(role: Role): Promise<ApiClient>;
  close(): Promise<void>;
}

/**
 * Starts a whole Hark on a random port with its own temporary data directory.
 * Scoring in the main thread unless `env` sets PIPELINE_THREADS: the pool has
 * its own suites (score-pool, pipeline-threads), and two cores run many harnesses.
 */
export async function startHarness(env: Record<string, string> = {}, opts: Parameters<typeof startHark>[1] = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-it-'));
  const testStore = testStoreEnv();
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'silent', REALTIME_BATCH_MS: '50', PIPELINE_THREADS: '1', ...testStore.env, ...env });
  const hark = await startHark(config, opts);
  let n = 0;
  const h: Harness = {
    hark,
    dataDir,
    storeEnv: testStore.env,
    async signIn(role) {
      const email = `${role}${++n}-${Math.random().toString(36).slice(2, 8)}@test.hark`;
      const password = `pw-${Math.random().toString(36).slice(2)}`;
      await hark.store.users.create({ email, name: `${role} ${n}`, role, passwordHash: await hashPassword(password) });
      const client = new ApiClient(hark.url);
      const res = await client.post('/api/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return client;
    },
    async close() {
      // A test may have swapped in a restarted Hark: close whatever runs last.
      await h.hark.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await testStore.drop();
    },
  };
  return h;
}

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny HTTP client that keeps the session cookie, like a browser would. */
export class ApiClient {
  cookie = '';
  constructor(readonly base: string) {}

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
    const isRaw = typeof body === 'string' || body instanceof Uint8Array;
    const res = await fetch(this.base + url, {
      method,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(body !== undefined && !isRaw ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : isRaw ? (body as string) : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  get<T = any>(url: string) {
    return this.request<T>('GET', url);
  }
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', url, body, headers);
  }

  /** A socket.io client as the app opens it (session cookie, this protocol version unless told otherwise). */
  socket(opts: { autoConnect?: boolean; protocol?: number | null } = {}): Socket<ServerToClientEvents, ClientToServerEvents> {
    const { protocol = PROTOCOL_VERSION, ...rest } = opts;
    return io(this.base, { transports: ['websocket'], auth: protocol === null ? {} : { protocol }, extraHeaders: this.cookie ? { cookie: this.cookie } : {}, reconnection: false, forceNew: true, ...rest });
  }
}

export const waitFor = async <T>(fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 5000, what = 'condition'): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

export const rawMention = (i: number, over: Record<string, unknown> = {}) => ({
  platform: 'x',
  externalId: `t-${i}-${Math.random().toString(36).slice(2, 8)}`,
  text: i % 2 ? `My flight was cancelled again and nobody answers, I want a refund ${i}` : `Loving the new app update, great job ${i}`,
  author: { handle: `user${i}`, followers: 10 ** (i % 7) },
  ...over,
});
