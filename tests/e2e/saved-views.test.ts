import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { openHarkInChromium, type HarkInChromiumWithPage } from '../support/hark-in-chromium.js';
import { waitFor } from '../support/harness.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: a saved view filtered by brand comes back after a reload with its count', () => {
  let hark: HarkInChromiumWithPage | undefined;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    hark = await openHarkInChromium({ env: { SIMULATOR_RATE: '8' }, role: 'agent' });
    ({ page, pageErrors } = hark);
  }, 180_000);

  afterAll(() => hark?.close());

  const brandsShown = () => page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-brand')));

  const onlyBrightbank = async () => {
    const b = await brandsShown();
    return b.length > 0 && b.every((x) => x === 'Brightbank') ? true : undefined;
  };

  it('saves a view filtered by brand; after a reload it is listed with its count and applying it shows only that brand', async () => {
    await waitFor(async () => (new Set(await brandsShown()).size >= 2 ? true : undefined), 30_000, 'mentions of several brands');
    await page.getByLabel('Brand').selectOption('Brightbank');
    await waitFor(onlyBrightbank, 10_000, 'only Brightbank');
    await page.getByTestId('save-view').click();
    await page.getByLabel('View name').fill('Brightbank only');
    await page.getByLabel('View name').press('Enter');
    await page.getByTestId('saved-view').filter({ hasText: 'Brightbank only' }).waitFor({ timeout: 10_000 });
    // Back to every brand, then reload: the view is still there, with a count.
    await page.getByLabel('Brand').selectOption('');
    await page.reload();
    await page.locator('[data-testid="queue-list"]').waitFor({ timeout: 15_000 });
    const view = page.getByTestId('saved-view').filter({ hasText: 'Brightbank only' });
    await view.waitFor({ timeout: 10_000 });
    const count = await view.getByTestId('saved-view-count').textContent();
    expect(Number(count?.replace('+', ''))).toBeGreaterThan(0);
    await waitFor(async () => (new Set(await brandsShown()).size >= 2 ? true : undefined), 30_000, 'several brands before applying');
    await view.getByRole('button', { name: 'Apply view Brightbank only' }).click();
    await waitFor(onlyBrightbank, 10_000, 'only Brightbank after applying the view');
    expect(page.url()).toContain('brand=Brightbank');
    await expect(page.getByLabel('Brand').inputValue()).resolves.toBe('Brightbank');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
