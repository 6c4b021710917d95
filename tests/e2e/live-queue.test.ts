import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { openHarkInChromium, type HarkInChromiumWithPage } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: sign in and watch the queue fill live', () => {
  let hark: HarkInChromiumWithPage | undefined;
  let proc: SpawnedHark;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    // Not signed in: the test signs in itself, through the demo accounts the sign-in page offers.
    hark = await openHarkInChromium({ env: { SIMULATOR_RATE: '4' } });
    ({ proc, page, pageErrors } = hark);
  }, 180_000);

  afterAll(() => hark?.close());

  it('shows the demo sign-in, signs in, and a simulated mention arrives without a reload', async () => {
    await page.goto(proc.url);
    const agent = proc.demo.find((d) => d.role === 'agent')!;
    // The sign-in page offers the demo accounts in demo mode.
    await page.getByText(agent.email).first().waitFor({ timeout: 15_000 });
    await page.locator('input[type="email"]').fill(agent.email);
    await page.locator('input[type="password"]').fill(agent.password);
    await page.locator('button[type="submit"]').click();

    await page.locator('[data-testid="queue-list"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="queue-row"]').first().waitFor({ timeout: 15_000 });
    const before = new Set(await page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-mention-id'))));
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));

    // A new id appears on the queue while the page stays put: it came over the socket.
    await page.waitForFunction(
      (known) => [...document.querySelectorAll('[data-testid="queue-row"]')].some((r) => !known.includes(r.getAttribute('data-mention-id') ?? '')),
      [...before] as string[],
      { timeout: 20_000 },
    );
    expect(navigations).toEqual([]);
    await expect(page.getByText(/demo/i).first().isVisible()).resolves.toBe(true);
  }, 60_000);

  it('opens a mention with its scores and the reasons for its priority', async () => {
    await page.locator('[data-testid="queue-row"]').first().click();
    const detail = page.locator('[data-testid="mention-detail"]');
    await detail.waitFor({ timeout: 10_000 });
    const text = await detail.innerText();
    expect(text).toMatch(/priority/i);
    expect(text).toMatch(/negative|neutral|positive/i);
    expect(text).toMatch(/respond|watch|dismiss|escalate/i);
  });

  it('shows the wall', async () => {
    await page.getByRole('link', { name: /wall/i }).first().click();
    await page.locator('[data-testid="wall"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="rising-topics"]').waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { name: /rising topics/i }).first().waitFor({ timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });
});
