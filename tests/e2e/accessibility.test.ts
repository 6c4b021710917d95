import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeViolations, seriousViolations } from '../support/axe.js';
import { signInOverApi } from '../support/browser-sign-in.js';
import { findChromium } from '../support/chromium.js';
import { startHarkInChromium, type HarkInChromium } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();

/**
 * axe-core on every page: the sign-in page, then each page an admin can open
 * (queue with a mention open, wall and big-screen wall, cases and a case,
 * customers and a customer's 360 view, manage, settings, reports, users,
 * account). No serious or critical violation is allowed.
 */
describe.skipIf(!executablePath)('e2e in Chromium: accessibility (axe-core)', () => {
  let hark: HarkInChromium | undefined;
  let proc: SpawnedHark;
  let page: Page;
  let caseId = '';
  let customerId = '';
  let errors: string[];

  const expectClean = async (where: string) => {
    const v = await seriousViolations(page);
    if (v.length) throw new Error(describeViolations(where, v));
  };
  /** Goes to a hash route and waits until the view has rendered what it loads. */
  const visit = async (hash: string, ready: string) => {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.locator(ready).first().waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => !document.body.innerText.includes('Loading…'), undefined, { timeout: 10_000 }).catch(() => undefined);
    await page.waitForTimeout(500);
  };

  beforeAll(async () => {
    hark = await startHarkInChromium({ env: { SIMULATOR_RATE: '0' } });
    ({ proc, pageErrors: errors } = hark);
    // A mention, a customer who wrote it and a case about it, so the case page and the 360 view have content.
    const setup = await hark.browser.newContext();
    await signInOverApi(setup.request, proc, 'admin');
    const line = JSON.stringify({ id: 'a11y-1', text: 'My card was declined twice at the shop and the app shows nothing', author: 'axe_alex', author_followers: 300, brand: 'Brightbank' });
    const imp = await setup.request.post(`${proc.url}/api/import?platform=simulator`, { data: line, headers: { 'content-type': 'application/x-ndjson' } });
    expect(await imp.json()).toMatchObject({ stored: 1 });
    const mention = (await (await setup.request.get(`${proc.url}/api/mentions?q=declined`)).json()).items[0];
    // A second mention stays in the queue (the first goes into a case).
    const other = JSON.stringify({ id: 'a11y-2', text: 'Is there a fee for paying abroad with the card?', author: 'axe_alex', author_followers: 300, brand: 'Brightbank' });
    expect(await (await setup.request.post(`${proc.url}/api/import?platform=simulator`, { data: other, headers: { 'content-type': 'application/x-ndjson' } })).json()).toMatchObject({ stored: 1 });
    const cust = await setup.request.post(`${proc.url}/api/customers`, { data: { name: 'Alex Axe', identities: [{ platform: 'simulator', handle: 'axe_alex' }] } });
    expect(cust.status(), await cust.text()).toBeLessThan(300);
    customerId = (await cust.json()).customer.id;
    const kase = await setup.request.post(`${proc.url}/api/cases`, { data: { mentionIds: [mention.id], title: 'Card declined' } });
    expect(kase.status(), await kase.text()).toBeLessThan(300);
    caseId = (await kase.json()).case.id;
    await setup.close();

    // Hark's CSP (script-src 'self') would refuse axe's injected source; only the test's context bypasses it.
    page = await hark.openPage({ context: { bypassCSP: true } });
    await page.goto(proc.url);
    await page.locator('input[type="email"]').waitFor({ timeout: 15_000 });
  }, 180_000);

  afterAll(() => hark?.close());

  it('the sign-in page', async () => {
    await expectClean('sign-in');
    const admin = proc.demo.find((d) => d.role === 'admin')!;
    await page.locator('input[type="email"]').fill(admin.email);
    await page.locator('input[type="password"]').fill(admin.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"]', { hasText: 'live' }).waitFor({ timeout: 15_000 });
  }, 60_000);

  it('the queue, with a mention open', async () => {
    await visit('#/queue', '[data-testid="queue-row"]');
    await expectClean('queue');
    // Opened from the keyboard: the list takes focus, Enter opens the selected mention.
    await page.locator('[data-testid="queue-row-open"]').first().focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="composer"], .detail').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    await expectClean('queue with a mention open');
  }, 60_000);

  it('the wall, normal and big-screen', async () => {
    await visit('#/wall', 'main .wall, main [data-testid^="wall"]');
    await expectClean('wall');
    await visit('#/wall?screen=1', '.screen-main');
    await expectClean('wall ?screen=1');
  }, 60_000);

  it('cases and a case', async () => {
    await visit('#/cases', 'main table, main [data-testid="sla-counts"]');
    await expectClean('cases');
    await visit(`#/cases/${caseId}`, 'main h2');
    await expectClean(`case ${caseId}`);
  }, 60_000);

  it("customers and a customer's 360 view", async () => {
    await visit('#/customers', 'main > *');
    await expectClean('customers');
    await visit(`#/customers/${customerId}`, 'main h2');
    await expectClean(`customer ${customerId}`);
  }, 60_000);

  it.each([
    ['#/manage', 'manage'],
    ['#/settings', 'settings'],
    ['#/reports', 'reports'],
    ['#/users', 'users'],
    ['#/account', 'account'],
  ])('%s', async (hash, name) => {
    await visit(hash, 'main h2, main h3, main form');
    await expectClean(name);
    expect(errors).toEqual([]);
  }, 60_000);

  it("#/users with a user's edit form open", async () => {
    await visit('#/users', '[data-testid="users"]');
    await page.getByRole('button', { name: /^Edit / }).first().click();
    await page.locator('form[id^="edit-user-"]').waitFor({ timeout: 5000 });
    await expectClean('users with the edit form open');
  }, 60_000);
});
