import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildClientIfStale } from '../support/build-client.js';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: the Account page and disabling a user', () => {
  let proc: SpawnedHark;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildClientIfStale();
    proc = await spawnHark({ SIMULATOR_RATE: '1' });
    browser = await chromium.launch({ executablePath: executablePath!, args: CHROMIUM_ARGS, headless: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
  });

  async function signIn(role: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const account = proc.demo.find((d) => d.role === role)!;
    await page.goto(proc.url);
    await page.locator('input[type="email"]').fill(account.email);
    await page.locator('input[type="password"]').fill(account.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="queue-list"]').waitFor({ timeout: 15_000 });
    return page;
  }

  it('an agent changes their password from the Account page with the keyboard alone and sees their sessions', async () => {
    const page = await signIn('agent');
    const agent = proc.demo.find((d) => d.role === 'agent')!;
    await page.getByRole('link', { name: 'Account' }).click();
    const sessions = page.locator('[data-testid="sessions"]');
    await sessions.getByText('(this browser)').waitFor({ timeout: 10_000 });
    expect(await sessions.innerText()).toMatch(/127\.0\.0\.1/);

    await page.getByLabel('Current password').focus();
    await page.keyboard.type(agent.password);
    await page.keyboard.press('Tab');
    await page.keyboard.type('a-brand-new-passphrase');
    await page.keyboard.press('Tab');
    await page.keyboard.type('a-brand-new-passphrase');
    await page.keyboard.press('Enter');
    await page.getByText('Password changed').waitFor({ timeout: 10_000 });
    await page.close();
  }, 60_000);

  it('an admin disables a manager from the Users page: the manager’s open browser is signed out at once', async () => {
    const manager = await signIn('manager');
    const admin = await signIn('admin');
    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.locator('[data-testid="users"]').waitFor({ timeout: 10_000 });
    admin.on('dialog', (d) => void d.accept());
    await admin.getByRole('button', { name: 'Disable Demo Manager' }).click();
    await admin.getByRole('button', { name: 'Enable Demo Manager' }).waitFor({ timeout: 10_000 });
    // No reload: the socket closed and the app went back to the sign-in form.
    await manager.locator('form.signin-card').waitFor({ timeout: 10_000 });
    const m = proc.demo.find((d) => d.role === 'manager')!;
    await manager.locator('input[type="email"]').fill(m.email);
    await manager.locator('input[type="password"]').fill(m.password);
    await manager.locator('button[type="submit"]').click();
    await manager.getByRole('alert').getByText(/disabled/).waitFor({ timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
