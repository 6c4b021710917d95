import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { startHarkInChromium, type HarkInChromium } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();

/** A manager exports and erases a customer from the 360 view and sets the retention period on the Settings page. */
describe.skipIf(!executablePath)('e2e in Chromium: privacy', () => {
  let hark: HarkInChromium | undefined;
  let proc: SpawnedHark;
  let manager: Page;
  let agent: Page;
  let customerId: string;
  let errors: string[];

  const signedIn = (role: 'agent' | 'manager') => hark!.openPage({ role, via: 'api', context: { acceptDownloads: true } });

  beforeAll(async () => {
    hark = await startHarkInChromium({ env: { SIMULATOR_RATE: '0' } });
    ({ proc, pageErrors: errors } = hark);
    [manager, agent] = await Promise.all([signedIn('manager'), signedIn('agent')]);
    const line = JSON.stringify({ id: 'priv-1', text: 'My card number ends 4242, why was I charged twice', author: 'erin_private', author_name: 'Erin Private' });
    expect(await (await manager.request.post(`${proc.url}/api/import?platform=simulator`, { data: line, headers: { 'content-type': 'application/x-ndjson' } })).json()).toMatchObject({ stored: 1 });
    const c = await manager.request.post(`${proc.url}/api/customers`, { data: { name: 'Erin Private', identities: [{ platform: 'simulator', handle: 'erin_private' }] } });
    customerId = (await c.json()).customer.id;
  }, 180_000);

  afterAll(() => hark?.close());

  it('agents see no export or erase', async () => {
    await agent.goto(`${proc.url}/#/customers/${customerId}`);
    await agent.locator('[data-testid="customer"]', { hasText: 'Erin Private' }).waitFor({ timeout: 15_000 });
    expect(await agent.getByRole('button', { name: 'Erase customer…' }).count()).toBe(0);
    expect(await agent.getByRole('link', { name: 'Export data' }).count()).toBe(0);
  });

  it('a manager downloads the customer\u2019s data as JSON', async () => {
    await manager.goto(`${proc.url}/#/customers/${customerId}`);
    await manager.locator('[data-testid="customer"]', { hasText: 'charged twice' }).waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([manager.waitForEvent('download'), manager.getByRole('link', { name: 'Export data' }).click()]);
    expect(download.suggestedFilename()).toBe(`hark-customer-${customerId}.json`);
    const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(data.customer.name).toBe('Erin Private');
    expect(data.mentions.map((m: { text: string }) => m.text)).toEqual(['My card number ends 4242, why was I charged twice']);
  });

  it('erasing asks for the customer\u2019s name, then leaves only a tombstone', async () => {
    await manager.getByRole('button', { name: 'Erase customer…' }).click();
    const dialog = manager.getByRole('alertdialog', { name: 'Erase Erin Private' });
    await expect(dialog.innerText()).resolves.toContain('Erase Erin Private?');
    const confirm = dialog.getByRole('button', { name: 'Erase Erin Private' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Customer name to confirm').fill('Erin');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Customer name to confirm').fill('Erin Private');
    await confirm.click();
    await manager.locator('[data-testid="erased-banner"]').waitFor({ timeout: 10_000 });
    await manager.locator('[data-testid="customer"] h2', { hasText: 'Erased customer' }).waitFor();
    expect(await manager.locator('[data-testid="customer"]').innerText()).not.toContain('charged twice');
    const search = await manager.request.get(`${proc.url}/api/mentions?q=charged`);
    expect((await search.json()).items).toEqual([]);
  });

  it('a manager sets the retention period on the Settings page', async () => {
    await manager.goto(`${proc.url}/#/settings`);
    const form = manager.locator('[data-testid="retention"]');
    await form.waitFor({ timeout: 15_000 });
    await form.getByLabel('Keep until erased').uncheck();
    await form.getByLabel('Retention days').fill('90');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved').waitFor({ timeout: 5000 });
    expect(await (await manager.request.get(`${proc.url}/api/settings/retention`)).json()).toEqual({ mentionDays: 90, version: 1 });
    await manager.reload();
    await expect.poll(() => manager.locator('[data-testid="retention"]').getByLabel('Retention days').inputValue(), { timeout: 5000 }).toBe('90');
    expect(errors).toEqual([]);
  });
});
