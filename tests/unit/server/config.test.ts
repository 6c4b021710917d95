import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';

describe('config', () => {
  it('has working defaults on a bare machine', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.simulator.enabled).toBe(true);
    expect(c.demo).toBe(true);
    expect(c.admin).toBeNull();
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(Object.isFrozen(c) && Object.isFrozen(c.simulator)).toBe(true);
  });

  it('parses switches, lists and numbers', () => {
    const c = loadConfig({ PORT: '8080', SIMULATOR: 'off', SIMULATOR_BRANDS: 'Acme, Globex ,', SESSION_TTL_HOURS: '2' });
    expect(c.port).toBe(8080);
    expect(c.simulator.enabled).toBe(false);
    expect(c.demo).toBe(false);
    expect(c.simulator.brands).toEqual(['Acme', 'Globex']);
    expect(c.sessionTtlMs).toBe(7_200_000);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SIMULATOR: 'maybe' })).toThrow(/SIMULATOR/);
    expect(() => loadConfig({ HARK_ADMIN_EMAIL: 'a@b.co' })).toThrow(/HARK_ADMIN_PASSWORD/);
    expect(() => loadConfig({ HARK_ADMIN_EMAIL: 'nope', HARK_ADMIN_PASSWORD: 'long enough' })).toThrow(/HARK_ADMIN_EMAIL/);
  });

  it('reads X polling settings, and names what is wrong with them', () => {
    const c = loadConfig({ X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAA', X_QUERIES: '[{"id":"acme","brand":"Acme","query":"acme OR @acmehelp"}]', X_POLL_SECONDS: '30' });
    expect(c.x).toEqual({
      bearerToken: 'AAAAAAAAAAAAAAAA',
      oauth1: null,
      oauth2Client: null,
      oauth2: { authorizeUrl: 'https://x.com/i/oauth2/authorize', tokenUrl: 'https://api.x.com/2/oauth2/token', redirectUri: null },
      queries: [{ id: 'acme', brand: 'Acme', query: 'acme OR @acmehelp' }],
      mode: 'poll',
      pollMs: 30_000,
      baseUrl: null,
      brandUserId: null,
      brand: null,
      monthlyReadCap: null,
    });
    expect(() => loadConfig({ X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAA', X_QUERIES: 'not json' })).toThrow(/X_QUERIES must be JSON/);
    expect(() => loadConfig({ X_MODE: 'firehose' })).toThrow(/X_MODE is poll or stream/);
    expect(() => loadConfig({ REDDIT_CLIENT_ID: 'abc' })).toThrow(/REDDIT_CLIENT_SECRET/);
    expect(() => loadConfig({ HARK_SECRET_KEY: 'short' })).toThrow(/HARK_SECRET_KEY must be at least 32/);
    // A token alone is fine: managers can add the listening queries in the UI.
    expect(loadConfig({ X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAA' }).x).toMatchObject({ bearerToken: 'AAAAAAAAAAAAAAAA', queries: [] });
    expect(loadConfig({}).x.bearerToken).toBeNull();
  });

  it("reads the brand account's X user context, and refuses it in part", () => {
    const oauth1 = { X_API_KEY: 'key-0123456789', X_API_SECRET: 'secret-0123456789', X_ACCESS_TOKEN: '1-token-0123456789', X_ACCESS_SECRET: 'tsecret-0123456789' };
    expect(loadConfig(oauth1).x.oauth1).toEqual({ apiKey: 'key-0123456789', apiSecret: 'secret-0123456789', accessToken: '1-token-0123456789', accessSecret: 'tsecret-0123456789' });
    expect(() => loadConfig({ ...oauth1, X_ACCESS_SECRET: undefined })).toThrow(/X_ACCESS_SECRET: set X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET together/);
    expect(loadConfig({ X_CLIENT_ID: 'client-0123456789', X_CLIENT_SECRET: 'csecret-0123456789' }).x.oauth2Client).toEqual({ clientId: 'client-0123456789', clientSecret: 'csecret-0123456789' });
    expect(() => loadConfig({ X_CLIENT_ID: 'client-0123456789' })).toThrow(/X_CLIENT_SECRET: set X_CLIENT_ID and X_CLIENT_SECRET together/);
    expect(() => loadConfig({ X_OAUTH2_TOKEN_URL: 'not a url' })).toThrow(/X_OAUTH2_TOKEN_URL must be a URL/);
    expect(loadConfig({ X_OAUTH2_REDIRECT_URI: 'https://hark.example.com/api/networks/x/account/callback' }).x.oauth2.redirectUri).toBe('https://hark.example.com/api/networks/x/account/callback');
  });

  it('takes an admin when both variables are set', () => {
    const c = loadConfig({ HARK_ADMIN_EMAIL: 'Boss@Example.com', HARK_ADMIN_PASSWORD: 'correct horse' });
    expect(c.admin).toEqual({ email: 'boss@example.com', password: 'correct horse' });
  });
  it('trusts no proxy by default and validates TRUST_PROXY and ALLOWED_ORIGINS', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({}).allowedOrigins).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://hark.example.com, http://localhost:5173' }).allowedOrigins).toEqual(['https://hark.example.com', 'http://localhost:5173']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'hark.example.com' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://hark.example.com/app' })).toThrow(/ALLOWED_ORIGINS/);
  });

  it('takes STORE=mongo only with a MongoDB URI that names a database, and says which variable is wrong', () => {
    expect(loadConfig({}).mongo).toBeNull();
    expect(loadConfig({ STORE: 'mongo', MONGODB_URI: 'mongodb://u:p@db:27017/hark?authSource=admin' })).toMatchObject({ store: 'mongo', mongo: { uri: 'mongodb://u:p@db:27017/hark?authSource=admin', connectTimeoutMs: 10_000 } });
    expect(() => loadConfig({ STORE: 'mongo' })).toThrow(/MONGODB_URI: STORE=mongo needs MONGODB_URI/);
    expect(() => loadConfig({ STORE: 'mongo', MONGODB_URI: 'http://db:27017/hark' })).toThrow(/MONGODB_URI looks like mongodb:/);
    expect(() => loadConfig({ STORE: 'mongo', MONGODB_URI: 'mongodb://db:27017' })).toThrow(/MONGODB_URI must name the database/);
    // Unused with SQLite (as when MONGODB_URI is set for the test suites): checked for shape only.
    expect(loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:27017' })).toMatchObject({ store: 'sqlite', mongo: null });
    expect(() => loadConfig({ MONGODB_URI: 'postgres://db' })).toThrow(/MONGODB_URI looks like/);
    expect(() => loadConfig({ STORE: 'postgres' })).toThrow(/STORE is sqlite or mongo/);
  });

  it('scores on every core by default; PIPELINE_THREADS sets the pool, 1 scores in the main thread, anything else is named', () => {
    expect(loadConfig({}).pipelineThreads).toBe(os.availableParallelism());
    expect(loadConfig({ PIPELINE_THREADS: '1' }).pipelineThreads).toBe(1);
    expect(loadConfig({ PIPELINE_THREADS: '6' }).pipelineThreads).toBe(6);
    expect(() => loadConfig({ PIPELINE_THREADS: '0' })).toThrow(/PIPELINE_THREADS: PIPELINE_THREADS must be at least 1/);
    expect(() => loadConfig({ PIPELINE_THREADS: '1.5' })).toThrow(/PIPELINE_THREADS: PIPELINE_THREADS must be a whole number/);
    expect(() => loadConfig({ PIPELINE_THREADS: 'many' })).toThrow(/PIPELINE_THREADS: PIPELINE_THREADS must be a whole number/);
  });
});
