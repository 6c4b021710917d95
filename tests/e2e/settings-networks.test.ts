import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { openHarkInChromium, type HarkInChromiumWithPage } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';
import { startFakeX } from '../support/fake-x/fake-x-server.js';
import { waitFor } from '../support/harness.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: an admin sets up X listening from the Settings page', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let hark: HarkInChromiumWithPage | undefined;
  let proc: SpawnedHark;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    x = await startFakeX({ keepAliveMs: 100 });
    x.addUser({ id: 'u1', username: 'vera', name: 'Vera', public_metrics: { followers_count: 800 } });
    hark = await openHarkInChromium({ env: { SIMULATOR_RATE: '0.2', HARK_SECRET_KEY: 'e2e-secret-key-that-is-long-enough-32', X_API_BASE_URL: x.url }, role: 'admin' });
    ({ proc, page, pageErrors } = hark);
    // The demo seeds listening queries for its brands; this test starts from none, as a real deployment does.
    await page.evaluate(async () => {
      const cur = await (await fetch('/api/listening-queries')).json();
      await fetch('/api/listening-queries', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: cur.version, queries: [] }) });
    });
    await page.goto(`${proc.url}/#/settings`);
    await page.locator('[data-testid="listening-queries"]').waitFor({ timeout: 10_000 });
  }, 180_000);

  afterAll(async () => {
    await hark?.close();
    await x?.close();
  });

  it('points at the character where a query breaks, then saves the fixed one', async () => {
    const section = page.locator('[data-testid="listening-queries"]');
    await section.getByRole('button', { name: 'Add query' }).click();
    await section.getByLabel('Query 1 id').fill('acme');
    await section.getByLabel('Query 1 brand').fill('Acme');
    await section.getByLabel('Query 1 text').fill('acme AND (refund OR');
    await section.getByRole('button', { name: 'Save queries' }).click();
    const alert = section.getByRole('alert');
    await alert.waitFor({ timeout: 5000 });
    const caret = await alert.locator('pre').innerText();
    const [line, marker] = caret.split('\n');
    expect(line).toBe('acme AND (refund OR');
    expect(marker!.indexOf('^')).toBeGreaterThan(8);

    await section.getByLabel('Query 1 text').fill('acme (refund OR delayed) -promo');
    await section.getByRole('button', { name: 'Check' }).click();
    await expect(section.locator('[data-testid="query-check-0"]').innerText()).resolves.toMatch(/X: .*refund OR delayed/);
    await section.getByRole('button', { name: 'Save queries' }).click();
    await section.getByText(/^Saved/).waitFor({ timeout: 5000 });
  }, 30_000);

  it('takes the X token once, never shows it again, and the stream starts', async () => {
    const card = page.locator('[data-testid="network-x"]');
    await card.locator('select').selectOption('stream');
    await card.getByLabel('Bearer token').fill('test-bearer');
    await card.getByRole('button', { name: 'Save X' }).click();
    await card.getByText(/Set here \(bearerToken\)/).waitFor({ timeout: 10_000 });
    await expect(card.getByLabel('Bearer token').inputValue()).resolves.toBe('');
    await waitFor(() => x.openStreams === 1, 10_000, 'stream connected');
    expect(x.rules.map((r) => r.tag)).toEqual(['hark:acme']);
    await page.reload();
    await page.locator('[data-testid="network-x"]').getByText(/stream connected/).waitFor({ timeout: 10_000 });
    expect(await page.content()).not.toContain('test-bearer');
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
