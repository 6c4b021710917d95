import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { slaMinutesBetween, type SlaPolicy } from '../../shared/sla.js';
import { signInOverApi } from '../support/browser-sign-in.js';
import { findChromium } from '../support/chromium.js';
import { startHarkInChromium, type HarkInChromium } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();

/**
 * Two people at once: agent A works the queue by keyboard, manager B watches
 * the same mention and the cases board live.
 */
describe.skipIf(!executablePath)('e2e in Chromium: two agents, one queue', () => {
  let hark: HarkInChromium | undefined;
  let proc: SpawnedHark;
  let a: Page;
  let b: Page;
  let errors: string[];

  const signIn = async (page: Page, role: 'agent' | 'manager') => {
    const acct = proc.demo.find((d) => d.role === role)!;
    await page.goto(proc.url);
    // A context that already has a session (set up over the API) lands straight on the queue.
    await page.locator('input[type="email"], [data-testid="queue-list"]').first().waitFor({ timeout: 15_000 });
    if (await page.locator('[data-testid="queue-list"]').count()) return void (await page.locator('[data-testid="queue-row"]').first().waitFor({ timeout: 15_000 }));
    await page.locator('input[type="email"]').fill(acct.email);
    await page.locator('input[type="password"]').fill(acct.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="queue-row"]').first().waitFor({ timeout: 15_000 });
  };

  beforeAll(async () => {
    // The simulator runs (demo accounts, replies) but emits nothing: the test brings its own mentions.
    hark = await startHarkInChromium({ env: { SIMULATOR_RATE: '0' } });
    ({ proc, pageErrors: errors } = hark);
    [a, b] = await Promise.all([hark.openPage(), hark.openPage()]);

    // Setup over the API as the manager: a saved reply and three mentions.
    await b.goto(proc.url);
    await signInOverApi(b.request, proc, 'manager');
    expect((await b.request.post(`${proc.url}/api/canned-responses`, { data: { title: 'Apology', body: 'Sorry {{author}}, we are on it. DM us your booking code.' } })).status()).toBe(201);
    const jsonl = [
      { id: 'e2e-1', text: 'Flight delayed 6 hours and nobody answers, I want a refund', author: 'furious_fran', author_followers: 250000 },
      { id: 'e2e-2', text: 'My bag never arrived at the hotel, terrible service', author: 'lost_lou', author_followers: 900 },
      { id: 'e2e-3', text: 'How do I add a pet to my booking?', author: 'curious_cam', author_followers: 30 },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const imp = await b.request.post(`${proc.url}/api/import?platform=simulator`, { data: jsonl, headers: { 'content-type': 'application/x-ndjson' } });
    expect(await imp.json()).toMatchObject({ stored: 3 });
    await Promise.all([signIn(a, 'agent'), signIn(b, 'manager')]);
  }, 180_000);

  afterAll(() => hark?.close());

  const topId = (p: Page) => p.locator('[data-testid="queue-row"]').first().getAttribute('data-mention-id');

  it('A claims a mention and B sees it held, live', async () => {
    const id = (await topId(a))!;
    await b.locator(`[data-testid="queue-row"][data-mention-id="${id}"]`).click();
    await expect(b.locator('[data-testid="holder"]').innerText()).resolves.toBe('Unclaimed');

    await a.locator(`[data-testid="queue-row"][data-mention-id="${id}"]`).click();
    await a.getByRole('button', { name: 'Claim' }).click();
    await a.locator('[data-testid="holder"]', { hasText: 'Held by Demo Agent' }).waitFor({ timeout: 5000 });

    await b.locator('[data-testid="holder"]', { hasText: 'Held by Demo Agent' }).waitFor({ timeout: 5000 });
    await expect(b.getByRole('button', { name: 'Claim' }).isDisabled()).resolves.toBe(true);
    // B sees A looking at it too.
    await b.locator('[data-testid="presence"]', { hasText: 'Demo Agent' }).waitFor({ timeout: 5000 });
  });

  it('A answers with a saved reply in three keystrokes from the queue', async () => {
    await a.keyboard.press('Escape'); // close the detail: back on the queue, top row selected
    await a.locator('[data-testid="mention-detail"]').waitFor({ state: 'detached' });
    // The demo seeds saved replies of its own: ours is the one numbered after them.
    const canned = (await (await a.request.get(`${proc.url}/api/canned-responses`)).json()) as { items: Array<{ title: string }> };
    const number = canned.items.findIndex((c) => c.title === 'Apology') + 1;
    expect(number).toBeGreaterThan(0);
    expect(number).toBeLessThan(10);
    await a.keyboard.press('r');
    await a.keyboard.press(String(number));
    await a.keyboard.press('Enter');
    const reply = a.locator('[data-testid="reply"]').first();
    await reply.waitFor({ timeout: 10_000 });
    await a.locator('[data-testid="reply"]', { hasText: 'sent' }).waitFor({ timeout: 10_000 });
    await expect(reply.innerText()).resolves.toContain('Sorry @furious_fran, we are on it');
    await expect(a.locator('[data-testid="first-response"]').innerText()).resolves.toMatch(/first response in 0 min/);
  });

  it('A escalates another mention; B sees the case appear live, checks its SLA clock and resolves it', async () => {
    await b.getByRole('link', { name: 'Cases' }).click();
    await b.locator('[data-testid="cases"]').waitFor();
    const before = await b.locator('[data-testid="case-row"]').count();

    await a.keyboard.press('Escape');
    await a.locator('[data-testid="mention-detail"]').waitFor({ state: 'detached' });
    const second = await a.locator('[data-testid="queue-row"]').nth(1).getAttribute('data-mention-id');
    await a.keyboard.press('j');
    await a.keyboard.press('e');
    // The escalation dialog opens with everything filled in: Enter accepts.
    await a.locator('[data-testid="escalation-dialog"] input').first().waitFor({ timeout: 5000 });
    await a.keyboard.press('Enter');
    await a.locator('[data-testid="case-detail"]').waitFor({ timeout: 10_000 });
    const number = await a.locator('[data-testid="case-number"]').innerText();
    expect(number).toMatch(/^HK-\d+$/);

    await b.locator('[data-testid="case-row"]', { hasText: number }).waitFor({ timeout: 5000 });
    expect(await b.locator('[data-testid="case-row"]').count()).toBe(before + 1);
    await b.locator('[data-testid="case-row"]', { hasText: number }).click();
    await b.locator('[data-testid="case-detail"]').waitFor();

    const caseId = b.url().split('/').pop()!;
    const kase = (await (await b.request.get(`${proc.url}/api/cases/${caseId}`)).json()).case;
    expect(kase.mentionIds).toEqual([second]);
    // The clock counts SLA minutes: business minutes when the policy has hours (the demo's does).
    const { policy } = (await (await b.request.get(`${proc.url}/api/settings/sla`)).json()) as { policy: SlaPolicy };
    const dueMin = Math.round(slaMinutesBetween(new Date(), new Date(kase.sla.firstResponseDueAt), policy.businessHours));
    const sla = await b.locator('[data-testid="clock-first_response"]').innerText();
    const shown = /First response (\d+)(m|h)/.exec(sla);
    expect(shown, sla).not.toBeNull();
    const shownMin = Number(shown![1]) * (shown![2] === 'h' ? 60 : 1);
    expect(Math.abs(shownMin - dueMin)).toBeLessThanOrEqual(shown![2] === 'h' ? 30 : 1);

    await b.getByRole('button', { name: 'Resolve' }).click();
    await b.locator('[data-testid="case-status"]', { hasText: 'resolved' }).waitFor({ timeout: 5000 });
    await b.locator('[data-testid="clock-resolution"][data-state="met"]').waitFor({ timeout: 5000 });
    // A, on the same case, sees it resolved without a reload.
    await a.locator('[data-testid="case-status"]', { hasText: 'resolved' }).waitFor({ timeout: 5000 });
    expect(errors).toEqual([]);
  });

  it('B links the author to a new customer and sees the 360 view; A dismisses a selection in bulk', async () => {
    await b.getByRole('link', { name: 'Queue' }).click();
    await b.locator('[data-testid="queue-row"]').first().waitFor();
    await b.locator('[data-testid="queue-row"]', { hasText: 'curious_cam' }).click();
    await b.getByRole('button', { name: 'New customer' }).click();
    await b.locator('[data-testid="customer"]').waitFor({ timeout: 5000 });
    await expect(b.locator('[data-testid="customer"]').innerText()).resolves.toContain('How do I add a pet to my booking?');

    await a.goto(`${proc.url}/#/queue`);
    await a.locator('[data-testid="queue-row"]').first().waitFor();
    const rows = await a.locator('[data-testid="queue-row"]').count();
    await a.locator('[data-testid="queue-row"] input[type="checkbox"]').first().check();
    await a.locator('[data-testid="bulk-bar"]').waitFor();
    await a.locator('[data-testid="bulk-bar"]').getByRole('button', { name: 'Dismiss' }).click();
    await a.locator('[data-testid="bulk-bar"]', { hasText: '1 done' }).waitFor({ timeout: 5000 });
    await a.waitForFunction((n) => document.querySelectorAll('[data-testid="queue-row"]').length === n - 1, rows, { timeout: 5000 });
    expect(errors).toEqual([]);
  });
});
