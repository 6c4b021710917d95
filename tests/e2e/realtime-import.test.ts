import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { PROTOCOL_VERSION } from '../../shared/events.js';
import { startHarkInChromium, type HarkInChromium } from '../support/hark-in-chromium.js';
import { ApiClient } from '../support/harness.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();

const signIn = async (page: Page, url: string, email: string, password: string) => {
  await page.goto(url);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"]').getByText('live').waitFor({ timeout: 15_000 });
};

describe.skipIf(!executablePath)('e2e in Chromium: a manager imports a file while an agent works the queue', () => {
  let hark: HarkInChromium | undefined;
  let proc: SpawnedHark;
  let pageErrors: string[];

  beforeAll(async () => {
    hark = await startHarkInChromium({
      env: { SIMULATOR: 'off', HARK_ADMIN_EMAIL: 'admin@import.hark', HARK_ADMIN_PASSWORD: 'import-admin-pw' },
      onStarted: async (started) => {
        const admin = new ApiClient(started.url);
        await admin.post('/api/auth/login', { email: 'admin@import.hark', password: 'import-admin-pw' });
        expect((await admin.post('/api/users', { email: 'agent@import.hark', name: 'Queue Agent', role: 'agent', password: 'import-agent-pw' })).status).toBe(201);
      },
    });
    ({ proc, pageErrors } = hark);
  }, 180_000);

  afterAll(() => hark?.close());

  it('the import page shows rows, rate and errors while it runs; the queue shows a banner, not 30,000 rows, and refreshes on request', async () => {
    const [manager, agent] = [await hark!.openPage(), await hark!.openPage()];
    await signIn(agent, proc.url, 'agent@import.hark', 'import-agent-pw');
    await agent.locator('[data-testid="queue-list"]').waitFor({ timeout: 15_000 });
    await signIn(manager, `${proc.url}/#/manage`, 'admin@import.hark', 'import-admin-pw');
    const panel = manager.locator('[data-testid="import-panel"]');
    await panel.waitFor({ timeout: 15_000 });

    const lines = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ id: `ui-${i}`, text: `My suitcase never arrived on flight ${i}`, author: `traveller${i % 700}` }));
    lines[10] = 'not json at all';
    await panel.locator('input[type="file"]').setInputFiles({ name: 'complaints.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines.join('\n') + '\n') });
    await panel.getByRole('button', { name: 'Import', exact: true }).click();
    // While it runs: rows and rate on the manager's page, the same on the agent's queue.
    await manager.locator('[data-testid="import-running"]').getByText(/Importing \(.+\): [\d,]+ rows · [\d,]+\/s/).waitFor({ timeout: 30_000 });
    await agent.locator('[data-testid="feed-banner"]').getByText(/Import/).waitFor({ timeout: 30_000 });
    // Done: the figures, the refused row with its line.
    await manager.locator('[data-testid="import-final"]').getByText('Import finished: 29,999 new mentions from 30,000 rows (0 already there · 1 error)', { exact: false }).waitFor({ timeout: 60_000 });
    await expect(manager.locator('[data-testid="import-result"]').innerText()).resolves.toMatch(/line 11:/);
    const banner = agent.locator('[data-testid="feed-banner"]');
    await banner.getByText(/Import finished: 29,999 new mentions/).waitFor({ timeout: 10_000 });
    // The queue was not sent the mentions one by one: it still shows none until the agent refreshes.
    expect(await agent.locator('[data-testid="queue-row"]').count()).toBe(0);
    await banner.getByRole('button', { name: 'Refresh' }).click();
    await agent.locator('[data-testid="queue-row"]').first().waitFor({ timeout: 10_000 });
    await banner.waitFor({ state: 'detached', timeout: 5_000 });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('a page of another protocol version (an open tab across an upgrade) is told to reload, reloads once, then asks', async () => {
    const page = await hark!.openPage();
    const ctx = page.context();
    await signIn(page, proc.url, 'agent@import.hark', 'import-agent-pw');
    // From now on the page's socket says it speaks an older protocol, as a tab loaded before an upgrade would.
    await page.routeWebSocket(/socket\.io/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(typeof m === 'string' ? m.replace(`"protocol":${PROTOCOL_VERSION}`, `"protocol":${PROTOCOL_VERSION - 1}`) : m));
    });
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    await page.reload();
    loads.length = 0;
    const banner = page.locator('[data-testid="reload-banner"]');
    await banner.getByText(/Reloading/).waitFor({ timeout: 15_000 });
    await expect(page.locator('[data-testid="connection"]').innerText()).resolves.toMatch(/update needed/);
    // It reloads by itself once; refused again, it asks instead of reloading in a loop.
    await banner.getByText('Reload the page to keep working live.').waitFor({ timeout: 15_000 });
    expect(loads.length).toBe(1);
    await new Promise((r) => setTimeout(r, 3000));
    expect(loads.length).toBe(1);
    await ctx.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
