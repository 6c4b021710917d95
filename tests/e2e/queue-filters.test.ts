import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildClientIfStale } from '../support/build-client.js';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';
import { waitFor } from '../support/harness.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: the queue filtered by brand, kept in the URL', () => {
  let proc: SpawnedHark;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildClientIfStale();
    proc = await spawnHark({ SIMULATOR_RATE: '8' });
    browser = await chromium.launch({ executablePath: executablePath!, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const agent = proc.demo.find((d) => d.role === 'agent')!;
    await page.goto(proc.url);
    await page.locator('input[type="email"]').fill(agent.email);
    await page.locator('input[type="password"]').fill(agent.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="queue-list"]').waitFor({ timeout: 15_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
  });

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
