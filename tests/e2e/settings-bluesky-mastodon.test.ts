import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { openHarkInChromium, type HarkInChromiumWithPage } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky/fake-bluesky-server.js';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon/fake-mastodon-server.js';
import { waitFor } from '../support/harness.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: an admin turns on Bluesky and Mastodon from the Settings page', () => {
  let b: FakeBluesky;
  let m: FakeMastodon;
  let hark: HarkInChromiumWithPage | undefined;
  let proc: SpawnedHark;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    b = await startFakeBluesky();
    m = await startFakeMastodon();
    hark = await openHarkInChromium({
      env: {
        SIMULATOR_RATE: '0.2',
        HARK_SECRET_KEY: 'e2e-secret-key-that-is-long-enough-32',
        BLUESKY_JETSTREAM_URL: b.jetstreamUrl,
        BLUESKY_APPVIEW_URL: b.url,
        BLUESKY_SERVICE: b.url,
        BLUESKY_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed)' }]),
        MASTODON_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed)' }]),
      },
      role: 'admin',
    });
    ({ proc, page, pageErrors } = hark);
    await page.goto(`${proc.url}/#/settings`);
    await page.locator('[data-testid="network-bluesky"]').waitFor({ timeout: 10_000 });
  }, 180_000);

  afterAll(async () => {
    await hark?.close();
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
