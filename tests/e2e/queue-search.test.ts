import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { openHarkInChromium, type HarkInChromiumWithPage } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();
const EMAIL = 'admin@hark.local';
const PASSWORD = 'search-e2e-password';

describe.skipIf(!executablePath)('e2e in Chromium: the queue search debounces typing and shows only the latest answer', () => {
  let hark: HarkInChromiumWithPage | undefined;
  let proc: SpawnedHark;
  let page: Page;
  const searches: string[] = [];

  beforeAll(async () => {
    hark = await openHarkInChromium({
      env: { SIMULATOR: 'off', HARK_ADMIN_EMAIL: EMAIL, HARK_ADMIN_PASSWORD: PASSWORD },
      // Thirteen mentions imported before the browser opens.
      onStarted: async ({ url }) => {
        const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
        const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
        const rows = [
          ...Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, text: `alpha post number ${i}` })),
          ...Array.from({ length: 4 }, (_, i) => ({ id: `b${i}`, text: `bravo refund request ${i}` })),
          ...Array.from({ length: 3 }, (_, i) => ({ id: `c${i}`, text: `bravissimo charlie ${i}` })),
        ];
        const res = await fetch(`${url}/api/import?platform=import`, { method: 'POST', headers: { cookie, origin: url, 'content-type': 'application/x-ndjson' }, body: rows.map((r) => JSON.stringify(r)).join('\n') + '\n' });
        expect(res.status, await res.clone().text()).toBe(200);
      },
    });
    ({ proc, page } = hark);
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/mentions' && u.searchParams.get('q')) searches.push(u.searchParams.get('q')!);
    });
    await page.goto(proc.url);
    await page.locator('input[type="email"]').fill(EMAIL);
    await page.locator('input[type="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="queue-row"]').first().waitFor({ timeout: 20_000 });
  }, 180_000);

  afterAll(() => hark?.close());

  const shownIds = () => page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-mention-id')));
  const rowTexts = () => page.locator('[data-testid="queue-row"]').allInnerTexts();

  it('typing a word fast sends one search (not one per keystroke) and lists its matches', async () => {
    searches.length = 0;
    const box = page.getByLabel('Search');
    // 40 ms between keys: well inside the 250 ms pause the queue waits for.
    await box.pressSequentially('bravo refund', { delay: 40 });
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="queue-row"]')];
      return rows.length === 4 && rows.every((r) => /bravo refund/.test(r.textContent ?? ''));
    }, undefined, { timeout: 10_000 });
    await page.waitForTimeout(600);
    expect(searches).toEqual(['bravo refund']);
    expect((await rowTexts()).every((t) => t.includes('bravo refund'))).toBe(true);
  });

  it('an older search answering late never replaces the newer one: it is aborted', async () => {
    searches.length = 0;
    // The server answers "alpha" only after 1.5 s; "charlie" at once.
    await page.route(/\/api\/mentions\?.*q=alpha/, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => undefined);
    });
    const box = page.getByLabel('Search');
    await box.fill('');
    await box.pressSequentially('alpha', { delay: 20 });
    await page.waitForTimeout(400); // the alpha search is out, and held
    await box.fill('');
    await box.pressSequentially('charlie', { delay: 20 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="queue-row"]')].length === 3, undefined, { timeout: 10_000 });
    await page.waitForTimeout(2000); // past the moment alpha's answer would have come
    const texts = await rowTexts();
    expect(texts.length).toBe(3);
    expect(texts.every((t) => t.includes('charlie'))).toBe(true);
    expect(searches).toEqual(['alpha', 'charlie']);
    expect((await shownIds()).length).toBe(3);
    await page.unroute(/\/api\/mentions\?.*q=alpha/);
  });
});
