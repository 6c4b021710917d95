import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildClientIfStale } from '../support/build-client.js';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky/fake-bluesky-server.js';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon/fake-mastodon-server.js';
import { waitFor } from '../support/harness.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: an admin turns on Bluesky and Mastodon from the Settings page', () => {
  let proc: SpawnedHark;
  let b: FakeBluesky;
  let m: FakeMastodon;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildClientIfStale();
    b = await startFakeBluesky();
    m = await startFakeMastodon();
    proc = await spawnHark({
      SIMULATOR_RATE: '0.2',
      HARK_SECRET_KEY: 'e2e-secret-key-that-is-long-enough-32',
      BLUESKY_JETSTREAM_URL: b.jetstreamUrl,
      BLUESKY_APPVIEW_URL: b.url,
      BLUESKY_SERVICE: b.url,
      BLUESKY_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed)' }]),
      MASTODON_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed)' }]),
    });
    browser = await chromium.launch({ executablePath: executablePath!, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const admin = proc.demo.find((d) => d.role === 'admin')!;
    await page.goto(proc.url);
    await page.locator('input[type="email"]').fill(admin.email);
    await page.locator('input[type="password"]').fill(admin.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="queue-list"]').waitFor({ timeout: 15_000 });
    await page.goto(`${proc.url}/#/settings`);
    await page.locator('[data-testid="network-bluesky"]').waitFor({ timeout: 10_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
    await Promise.all([b?.close(), m?.close()]);
  });

  it('turns Bluesky on with the brand account, never shows the app password again, and Jetstream connects', async () => {
    const card = page.locator('[data-testid="network-bluesky"]');
    await card.getByText(/No brand account/).waitFor();
    await card.getByLabel('On', { exact: true }).check();
    await card.getByLabel('Brand account handle (replies)').fill(b.account.handle);
    await card.getByLabel('App password').fill(b.account.appPassword);
    await card.getByRole('button', { name: 'Save Bluesky' }).click();
    await card.getByText(/Set here \(appPassword, handle\)/).waitFor({ timeout: 10_000 });
    await expect(card.getByLabel('App password').inputValue()).resolves.toBe('');
    await waitFor(() => b.connections() === 1, 10_000, 'jetstream connected');
    await page.reload();
    await page.locator('[data-testid="network-bluesky"]').getByText(/stream connected/).waitFor({ timeout: 15_000 });
    expect(await page.content()).not.toContain(b.account.appPassword);
  }, 60_000);

  it('sets up a Mastodon instance, its hashtags and its token, and the stream connects with the token', async () => {
    const card = page.locator('[data-testid="network-mastodon"]');
    await card.getByLabel('On', { exact: true }).check();
    await card.getByLabel('Mastodon instances').fill(m.origin);
    await card.getByLabel('Mastodon hashtags').fill('#AcmeAir');
    await card.getByLabel('Timeline').selectOption('none');
    await card.getByLabel('Mastodon hashtags').blur();
    await card.getByRole('button', { name: 'Save Mastodon' }).click();
    await card.getByText(/^Saved/).waitFor({ timeout: 10_000 });
    await waitFor(() => m.connections() === 1, 10_000, 'mastodon stream connected');
    expect(m.streamAuth.at(-1)).toBeNull();
    await card.getByLabel(`Access token for ${m.host}`).fill('brand-token-0001');
    await card.getByRole('button', { name: 'Save Mastodon' }).click();
    await card.getByText(new RegExp(`Set here \\(tokens\\.${m.host.replace(/\./g, '\\.')}\\)`)).waitFor({ timeout: 10_000 });
    await waitFor(() => m.streamAuth.at(-1) === 'brand-token-0001', 10_000, 'reconnected with the token');
    await waitFor(() => m.subscriptions().at(-1)?.length === 1, 5000, 'subscribed');
    expect(m.subscriptions().at(-1)).toEqual([{ stream: 'hashtag', tag: 'acmeair' }]);
    expect(await page.content()).not.toContain('brand-token-0001');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
