import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoRole } from '../support/browser-sign-in.js';
import { findChromium } from '../support/chromium.js';
import { startHarkInChromium, type HarkInChromium } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: the Account page and disabling a user', () => {
  let hark: HarkInChromium | undefined;
  let proc: SpawnedHark;
  let pageErrors: string[];

  beforeAll(async () => {
    hark = await startHarkInChromium({ env: { SIMULATOR_RATE: '1' } });
    ({ proc, pageErrors } = hark);
  }, 180_000);
  afterAll(() => hark?.close());

  const signIn = (role: DemoRole): Promise<Page> => hark!.openPage({ role });

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
