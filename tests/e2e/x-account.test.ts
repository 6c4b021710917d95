import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { openHarkInChromium, type HarkInChromiumWithPage } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';
import { startFakeX } from '../support/fake-x/fake-x-server.js';
import { waitFor } from '../support/harness.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: replies on X need the brand account, connected from the Settings page', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let hark: HarkInChromiumWithPage | undefined;
  let proc: SpawnedHark;
  let page: Page;
  let pageErrors: string[];
  const TEXT = 'acme refund for order 4411 please';

  beforeAll(async () => {
    x = await startFakeX();
    x.addUser({ id: 'u1', username: 'vera', name: 'Vera', public_metrics: { followers_count: 800 } });
    hark = await openHarkInChromium({
      env: {
        SIMULATOR_RATE: '0.2',
        HARK_SECRET_KEY: 'e2e-secret-key-that-is-long-enough-32',
        X_API_BASE_URL: x.url,
        X_BEARER_TOKEN: 'test-bearer',
        X_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme refund' }]),
        X_POLL_SECONDS: '0.2',
        X_CLIENT_ID: 'hark-client-id',
        X_CLIENT_SECRET: 'hark-client-secret',
        X_OAUTH2_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
        X_OAUTH2_TOKEN_URL: `${x.url}/2/oauth2/token`,
      },
      // The callback URL names Hark's port, known only once it listens.
      onStarted: (started) => {
        x.auth.addOAuth2Client({ clientId: 'hark-client-id', clientSecret: 'hark-client-secret', redirectUris: [`${started.url}/api/networks/x/account/callback`] });
        x.addTweet({ text: TEXT, author_id: 'u1', lang: 'en' });
      },
      role: 'admin',
    });
    ({ proc, page, pageErrors } = hark);
  }, 180_000);

  afterAll(async () => {
    await hark?.close();
    await x?.close();
  });

  const openComposer = async () => {
    await page.goto(`${proc.url}/#/queue`);
    await page.locator('[data-testid="queue-row"]', { hasText: TEXT }).click({ timeout: 15_000 });
    await page.locator('[data-testid="mention-detail"]').waitFor();
    await page.getByRole('button', { name: 'Reply' }).click();
    await page.locator('[data-testid="composer"]').waitFor();
  };

  it('with only the bearer token, the composer says replies are not authorised before anything is typed', async () => {
    await openComposer();
    const notice = page.locator('[data-testid="reply-not-possible"]');
    await notice.waitFor({ timeout: 5000 });
    await expect(notice.innerText()).resolves.toMatch(/replies: not authorised.*connect the X account on the Settings page/);
    await expect(page.locator('[data-testid="composer"] textarea').isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-testid="send-reply"]').isDisabled()).resolves.toBe(true);
  }, 30_000);

  it('an admin connects the X account through X and back; replies then post as the brand account', async () => {
    await page.goto(`${proc.url}/#/settings`);
    const card = page.locator('[data-testid="network-x"]');
    await card.locator('[data-testid="x-account"]', { hasText: 'No X account connected' }).waitFor({ timeout: 10_000 });
    await card.locator('[data-testid="replies-not-authorised"]').waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: 'Connect X account' }).click();
    // To X's consent page and straight back (the fake grants at once), then to the Settings page.
    await page.waitForURL(/#\/settings\?xAccount=connected/, { timeout: 10_000 });
    await page.locator('[data-testid="x-account"]', { hasText: 'Brand account connected' }).waitFor({ timeout: 10_000 });

    await openComposer();
    await waitFor(async () => (await page.locator('[data-testid="reply-not-possible"]').count()) === 0, 5000, 'no notice');
    await page.locator('[data-testid="composer"] textarea').fill('So sorry Vera, a refund is on its way.');
    await page.locator('[data-testid="send-reply"]').click();
    await page.locator('[data-testid="reply"]', { hasText: 'sent' }).waitFor({ timeout: 10_000 });
    expect(x.postedAuth).toEqual(['oauth2']);
    expect(x.posted[0]).toMatchObject({ text: 'So sorry Vera, a refund is on its way.' });
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
