import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createXAccount } from '../../server/connectors/x-account.js';
import { createSecretBox } from '../../server/secrets/secret-box.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import type { Store } from '../../shared/store.js';
import { startFakeX } from '../support/fake-x/fake-x-server.js';

const KEY = 'k'.repeat(16) + 'an-example-secret-of-32+chars';
const REDIRECT = 'http://127.0.0.1:9/api/networks/x/account/callback';

/**
 * Several processes share one connected X account. Its access token expires;
 * X rotates the refresh token on every refresh, so only one refresh may
 * happen: the others must wait for it and use its token.
 */
describe('X OAuth 2.0 token refresh with several processes', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let dir: string;
  const stores: Store[] = [];
  beforeEach(async () => {
    x = await startFakeX();
    x.auth.addOAuth2Client({ clientId: 'hark-client-id', clientSecret: 'hark-client-secret', redirectUris: [REDIRECT] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-xrefresh-'));
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await x.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One "process": its own store handle on the shared database, its own account service. */
  const processAt = () => {
    const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
    stores.push(store);
    return createXAccount({
      store,
      box: createSecretBox(KEY),
      now: () => new Date(),
      urls: { authorizeUrl: `${x.url}/i/oauth2/authorize`, tokenUrl: `${x.url}/2/oauth2/token` },
      client: async () => ({ clientId: 'hark-client-id', clientSecret: 'hark-client-secret' }),
    });
  };
  const connect = async (account: ReturnType<typeof processAt>) => {
    const { url } = await account.begin(REDIRECT);
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
    await account.complete({ state: back.searchParams.get('state')!, code: back.searchParams.get('code')! });
  };

  it('four processes needing a token at once: one refresh, every process gets a token X accepts', async () => {
    x.auth.settings.accessTokenSeconds = 60; // inside the refresh margin
    const procs = [processAt(), processAt(), processAt(), processAt()];
    await connect(procs[0]!);
    x.auth.settings.accessTokenSeconds = 7200; // the refreshed one lasts
    const tokens = await Promise.all(procs.flatMap((p) => [p.accessToken(), p.accessToken()]));
    expect(x.auth.refreshCount).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    const r = await fetch(`${x.url}/2/tweets`, { method: 'POST', headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'ok' }) });
    expect(r.status).toBe(201);
  });

  it('a token far from expiry is used as it is; a refused refresh says to connect again', async () => {
    const [a] = [processAt()];
    await connect(a!);
    const t1 = await a!.accessToken();
    expect(await a!.accessToken()).toBe(t1);
    expect(x.auth.refreshCount).toBe(0);
    // X no longer knows the refresh token (revoked): the next refresh fails with a plain reason.
    x.auth.settings.accessTokenSeconds = 60;
    await connect(a!);
    x.auth.revokeRefreshTokens();
    await expect(a!.accessToken()).rejects.toThrow(/connect the X account again/);
  });
});
