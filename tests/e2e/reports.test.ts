import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { startHarkInChromium, type HarkInChromium } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();
const DAY = '2026-10-05';

/** A manager opens the response report for a day of seeded mentions and downloads its CSV and a chart. */
describe.skipIf(!executablePath)('e2e in Chromium: reports', () => {
  let hark: HarkInChromium | undefined;
  let proc: SpawnedHark;
  let manager: Page;
  let errors: string[];

  const signedIn = (role: 'agent' | 'manager') => hark!.openPage({ role, via: 'api', context: { acceptDownloads: true } });

  beforeAll(async () => {
    hark = await startHarkInChromium({ env: { SIMULATOR_RATE: '0' } });
    ({ proc, pageErrors: errors } = hark);
    manager = await signedIn('manager');
    const agent = await signedIn('agent');
    const lines = [
      { id: 'rep-e2e-1', text: 'My order never arrived and nobody answers', author: 'dana', created_at: `${DAY}T09:00:00Z`, brand: 'Acme Air' },
      { id: 'rep-e2e-2', text: 'Where is my refund? Still waiting', author: 'eli', created_at: `${DAY}T10:00:00Z`, brand: 'Acme Air' },
      { id: 'rep-e2e-3', text: 'Lovely crew today, thanks', author: 'fay', created_at: `${DAY}T11:00:00Z`, brand: 'Acme Air' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const imported = await manager.request.post(`${proc.url}/api/import?platform=simulator`, { data: lines, headers: { 'content-type': 'application/x-ndjson' } });
    expect(await imported.json()).toMatchObject({ stored: 3 });
    const list = await (await agent.request.get(`${proc.url}/api/mentions?q=refund`)).json();
    const refund = list.items.find((m: { externalId: string }) => m.externalId === 'rep-e2e-2');
    const sent = await agent.request.post(`${proc.url}/api/mentions/${refund.id}/replies`, { data: { text: 'Sorry Eli, we are checking it now', idempotencyKey: 'e2e-report-reply-1' } });
    expect(sent.status()).toBeLessThan(300);
    for (let i = 0; i < 100; i++) {
      const r = await (await agent.request.get(`${proc.url}/api/mentions/${refund.id}/replies`)).json();
      if (r.items[0]?.state === 'sent') break;
      await new Promise((res) => setTimeout(res, 100));
    }
  }, 180_000);

  afterAll(() => hark?.close());

  it('opens the response report for the seeded day, grouped by network, and downloads its CSV with the expected rows', async () => {
    await manager.goto(`${proc.url}/#/`);
    await manager.getByRole('link', { name: 'Reports' }).click();
    const filters = manager.getByRole('form', { name: 'Report filters' });
    await filters.getByLabel('Range').selectOption('custom');
    await filters.getByLabel('From', { exact: true }).fill(DAY);
    await filters.getByLabel('To', { exact: true }).fill(DAY);
    await filters.getByLabel('Group by').selectOption('network');
    const table = manager.getByTestId('response-table');
    const row = table.locator('tbody tr', { hasText: 'simulator' });
    await row.waitFor({ timeout: 15_000 });
    expect((await row.locator('td').allInnerTexts()).slice(0, 3)).toEqual(['3', '1', '33.3%']);

    const section = manager.getByTestId('report-response');
    const [download] = await Promise.all([manager.waitForEvent('download'), section.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`hark-response-${DAY}-2026-10-06.csv`);
    const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split('\r\n').map((l) => l.split(','));
    expect(csv[0]!.slice(0, 4)).toEqual(['network', 'received', 'responded', 'response_rate']);
    expect(csv.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['simulator', '3', '1', '0.3333'],
      ['total', '3', '1', '0.3333'],
    ]);
    // The first response took seconds (the reply was sent right after the import): the same number as on screen.
    const median = Number(csv[1]![4]);
    expect(median).toBeGreaterThanOrEqual(0);
    expect(median).toBeLessThan(120);
    expect(await row.locator('td').nth(3).getAttribute('title')).toBe(`${median} s`);
  });

  it('downloads a chart as PNG', async () => {
    const section = manager.getByTestId('report-response');
    const [download] = await Promise.all([manager.waitForEvent('download'), section.getByRole('button', { name: 'Download PNG' }).first().click()]);
    expect(download.suggestedFilename()).toBe('hark-first-response.png');
    const bytes = fs.readFileSync((await download.path())!);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  });
});
