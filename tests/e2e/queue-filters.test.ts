import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { openHarkInChromium, type HarkInChromiumWithPage } from '../support/hark-in-chromium.js';
import { waitFor } from '../support/harness.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: the queue filtered by brand, kept in the URL', () => {
  let hark: HarkInChromiumWithPage | undefined;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    hark = await openHarkInChromium({ env: { SIMULATOR_RATE: '8' }, role: 'agent' });
    ({ page, pageErrors } = hark);
  }, 180_000);

  afterAll(() => hark?.close());

  const brandsShown = () => page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-brand')));

  it('shows only the chosen brand, and the filter comes back after a reload', async () => {
    await waitFor(async () => (new Set(await brandsShown()).size >= 2 ? true : undefined), 30_000, 'mentions of several brands');
    await page.getByLabel('Brand').selectOption('Brightbank');
    await waitFor(async () => {
      const b = await brandsShown();
      return b.length > 0 && b.every((x) => x === 'Brightbank') ? true : undefined;
    }, 10_000, 'only Brightbank');
    expect(page.url()).toContain('brand=Brightbank');
    await page.getByLabel('Language').selectOption('en');
    expect(page.url()).toMatch(/lang=en/);
    await page.reload();
    await page.locator('[data-testid="queue-list"]').waitFor({ timeout: 15_000 });
    await expect(page.getByLabel('Brand').inputValue()).resolves.toBe('Brightbank');
    await expect(page.getByLabel('Language').inputValue()).resolves.toBe('en');
    await waitFor(async () => {
      const b = await brandsShown();
      return b.length > 0 && b.every((x) => x === 'Brightbank') ? true : undefined;
    }, 10_000, 'still only Brightbank after reload');
    // Live mentions of other brands do not slip in.
    await new Promise((r) => setTimeout(r, 2000));
    expect(new Set(await brandsShown())).toEqual(new Set(['Brightbank']));
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
