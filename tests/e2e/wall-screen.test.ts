import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInAs } from '../support/browser-sign-in.js';
import { findChromium } from '../support/chromium.js';
import { openHarkInChromium, type HarkInChromiumWithPage } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();
const BRAND = 'Acme Air';

/**
 * A brand manager's wall on a big screen: one brand, a burst of negative
 * mentions injected through the import API, and the wall answering live; then
 * the rising topic becomes an investigation case that keeps collecting.
 */
describe.skipIf(!executablePath)('e2e in Chromium: the big-screen wall and an investigation', () => {
  let hark: HarkInChromiumWithPage | undefined;
  let proc: SpawnedHark;
  let page: Page;
  let pageErrors: string[];
  let n = 0;
  const line = (text: string, minutesAgo: number, author = `fan${++n}`) => JSON.stringify({ id: `e2e-${++n}`, text, author, brand: BRAND, created_at: new Date(Date.now() - minutesAgo * 60_000).toISOString() });
  const importLines = async (lines: string[]) => {
    const res = await page.request.post(`${proc.url}/api/import?platform=x&format=jsonl`, { data: lines.join('\n'), headers: { Origin: proc.url, 'Content-Type': 'application/x-ndjson' } });
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()) as { stored: number };
  };

  beforeAll(async () => {
    // The simulator (for the demo sign-ins) talks about another brand, slowly.
    hark = await openHarkInChromium({ env: { SIMULATOR_RATE: '1', SIMULATOR_BRANDS: 'Nimbus Mobile', SWEEP_SECONDS: '1' }, viewport: { width: 1920, height: 1080 } });
    ({ proc, page, pageErrors } = hark);
  }, 180_000);

  afterAll(() => hark?.close());

  it('shows one brand on a dark big screen, and a negative burst moves its gauge, raises an alert with examples and a rising topic', async () => {
    const manager = proc.demo.find((d) => d.role === 'manager');
    expect(manager, JSON.stringify(proc.demo)).toBeDefined();
    await signInAs(page, proc, 'manager');

    // Thirteen hours of ordinary, mostly pleasant history: the brand is past learning.
    const calm = ['great crew today', 'smooth boarding, thanks', 'the lounge was nice', 'seat was fine', 'snacks were good'];
    const history = Array.from({ length: 160 }, (_, i) => line(`${BRAND} ${calm[i % calm.length]} ${i}`, 13 * 60 - i * 5));
    expect((await importLines(history)).stored).toBe(160);

    await page.goto(`${proc.url}/#/wall?screen=1&brands=${encodeURIComponent(BRAND)}&panels=sentiment,alerts,topics,queue`);
    const wall = page.locator('[data-testid="wall"][data-screen="1"]');
    await wall.waitFor({ timeout: 15_000 });
    // Nothing of the app's chrome, and type readable across a room.
    expect(await page.locator('.topbar').count()).toBe(0);
    const style = await wall.evaluate((el) => ({ size: parseFloat(getComputedStyle(el).fontSize), bg: getComputedStyle(document.querySelector('.screen-main')!).backgroundColor }));
    expect(style.size).toBeGreaterThanOrEqual(28);
    expect(style.bg).toBe('rgb(5, 7, 11)');
    const gauge = page.locator(`[data-testid="gauge-${BRAND}"] [data-testid="gauge-value"]`);
    await gauge.waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="gauge-value"]')?.getAttribute('data-net') !== '', null, { timeout: 15_000 });
    const before = Number(await gauge.getAttribute('data-net'));

    // The burst: thirty different people, all angry about the same thing, within a minute.
    const burst = Array.from({ length: 30 }, (_, i) => line(`${BRAND} checkin kiosk frozen again, terrible, cannot board ${i}`, 0.5 - i / 60, `angry${i}`));
    await importLines(burst);

    await page.waitForFunction((b) => Number(document.querySelector('[data-testid="gauge-value"]')?.getAttribute('data-net')) < b - 10, before, { timeout: 30_000 });
    const alert = page.locator('[data-testid="alert"]').first();
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.innerText()).toContain(BRAND);
    expect(await page.locator('[data-testid="alert-example"]').first().innerText()).toMatch(/kiosk frozen/);
    await page.locator('[data-testid="rising-topic"][data-phrase*="kiosk"]').first().waitFor({ timeout: 30_000 });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('turns the rising topic into an investigation case, and a new matching mention attaches to it', async () => {
    await page.goto(`${proc.url}/#/wall?brands=${encodeURIComponent(BRAND)}`);
    const topic = page.locator('[data-testid="rising-topic"][data-phrase*="kiosk"]').first();
    await topic.waitFor({ timeout: 30_000 });
    await topic.getByRole('button', { name: 'Investigate' }).click();
    const panel = page.locator('[data-testid="investigation"]');
    await panel.waitFor({ timeout: 15_000 });
    const linked = page.locator('[data-testid="investigation-linked"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="investigation-linked"]')?.textContent) >= 30, null, { timeout: 15_000 });
    const count = Number(await linked.innerText());

    await importLines([line(`${BRAND} the checkin kiosk frozen at gate 4 too`, 0, 'latecomer')]);
    await page.waitForFunction((c) => Number(document.querySelector('[data-testid="investigation-linked"]')?.textContent) === c + 1, count, { timeout: 20_000 });
    await page.locator('[data-testid="investigation-mentions"]').getByText('kiosk frozen at gate 4').waitFor({ timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
