import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInOverApi } from '../support/browser-sign-in.js';
import { findChromium } from '../support/chromium.js';
import { startHarkInChromium, type HarkInChromium } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';

const executablePath = findChromium();
const SAM = { email: 'sam@support.test', password: 'sam-support-password', name: 'Sam Support' };
const REPLY = 'So sorry Fran, your refund is on its way. Check your DMs.';

/**
 * Three people in three browsers: an agent escalates a mention through the
 * dialog; Sam of the support team sees it arrive in the team's case queue,
 * takes it, brings the manager in with an @mention (the manager's browser is
 * told), answers the customer from the case (posted once on the network),
 * sets it pending (the clocks pause) and resolves it with a code, while the
 * manager's case queue shows no breach for the team.
 */
describe.skipIf(!executablePath)('e2e in Chromium: the support workspace, three browsers', () => {
  let hark: HarkInChromium | undefined;
  let proc: SpawnedHark;
  let agent: Page;
  let sam: Page;
  let boss: Page;
  let errors: string[];

  const openAs = async (page: Page, email: string, password: string, hash: string) => {
    await page.goto(proc.url);
    await page.locator('input[type="email"]').fill(email);
    await page.locator('input[type="password"]').fill(password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"]', { hasText: 'live' }).waitFor({ timeout: 15_000 });
    if (hash) await page.evaluate((h) => (location.hash = h), hash);
  };

  beforeAll(async () => {
    hark = await startHarkInChromium({ env: { SIMULATOR_RATE: '0' } });
    ({ proc, pageErrors: errors } = hark);
    // Setup over the API as the admin: a support team, a rule routing complaints to it, Sam in it, the manager too.
    const setup = await hark.browser.newContext();
    await signInOverApi(setup.request, proc, 'admin');
    const api = async (method: 'get' | 'put' | 'post' | 'patch', url: string, data?: unknown) => {
      const r = await setup.request[method](`${proc.url}${url}`, data === undefined ? {} : { data });
      expect(r.status(), `${method} ${url}: ${await r.text()}`).toBeLessThan(300);
      return r.json();
    };
    const teams = await api('get', '/api/settings/teams');
    await api('put', '/api/settings/teams', { version: teams.version, teams: [{ id: 'support', name: 'Support', approvalRequired: false }] });
    const rules = await api('get', '/api/settings/routing-rules');
    await api('put', '/api/settings/routing-rules', { version: rules.version, rules: [{ id: 'refunds', name: 'Refunds to support', enabled: true, when: { keywords: ['refund'] }, then: { team: 'support', assignLeastLoaded: false } }] });
    const created = await api('post', '/api/users', { email: SAM.email, name: SAM.name, role: 'agent', password: SAM.password });
    await api('patch', `/api/users/${created.user.id}`, { teams: ['support'] });
    const manager = (await api('get', '/api/users')).items.find((u: { email: string }) => u.email === 'manager@demo.hark');
    await api('patch', `/api/users/${manager.id}`, { teams: ['support'] });
    const jsonl = JSON.stringify({ id: 'sw-1', text: 'Flight cancelled twice and still no refund, this is a joke', author: 'furious_fran', author_followers: 120000 });
    const imp = await setup.request.post(`${proc.url}/api/import?platform=simulator`, { data: jsonl, headers: { 'content-type': 'application/x-ndjson' } });
    expect(await imp.json()).toMatchObject({ stored: 1 });
    await setup.close();

    [agent, sam, boss] = await Promise.all([hark.openPage(), hark.openPage(), hark.openPage()]);
    const acct = (role: string) => proc.demo.find((d) => d.role === role)!;
    await Promise.all([
      openAs(agent, acct('agent').email, acct('agent').password, ''),
      openAs(sam, SAM.email, SAM.password, '#/cases'),
      openAs(boss, acct('manager').email, acct('manager').password, '#/cases'),
    ]);
    await sam.locator('[data-testid="sla-counts"]').waitFor({ timeout: 10_000 });
    await boss.locator('[data-testid="count-breached"]', { hasText: 'breached: 0' }).waitFor({ timeout: 10_000 });
  }, 180_000);

  afterAll(() => hark?.close());

  let caseNumber = '';

  it('the agent escalates from the queue with e and Enter; the routed team is preselected', async () => {
    const row = agent.locator('[data-testid="queue-row"]', { hasText: 'still no refund' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await agent.locator('[data-testid="mention-detail"]').waitFor();
    await agent.locator('body').press('Escape').catch(() => undefined);
    await row.click();
    await agent.keyboard.press('e');
    const dialog = agent.locator('[data-testid="escalation-dialog"]');
    await dialog.waitFor({ timeout: 5000 });
    await expect(dialog.getByLabel('Title').inputValue()).resolves.toContain('@furious_fran:');
    await expect(dialog.getByLabel('Team').inputValue()).resolves.toBe('support');
    await agent.keyboard.press('Enter');
    caseNumber = await agent.locator('[data-testid="case-number"]').innerText({ timeout: 5000 });
    expect(caseNumber).toMatch(/^HK-\d+$/);
  });

  it('Sam sees it arrive in the support queue live and takes it with n', async () => {
    await sam.locator('[data-testid="case-row"]', { hasText: caseNumber }).waitFor({ timeout: 5000 });
    await sam.locator('body').click({ position: { x: 5, y: 5 } });
    await sam.keyboard.press('n');
    await sam.locator('[data-testid="case-number"]', { hasText: caseNumber }).waitFor({ timeout: 5000 });
    await sam.locator('[data-testid="customer-panel"], .customer-panel').first().waitFor();
    await sam.locator('.case-meta', { hasText: 'assignee Sam Support' }).waitFor({ timeout: 5000 });
  });

  it('Sam @mentions the manager in a note, and the manager is told live', async () => {
    const box = sam.getByTestId('note-text');
    await box.click();
    await box.pressSequentially('Refund approved? @Demo M');
    await sam.locator('[data-testid="mention-suggestions"]', { hasText: 'Demo Manager' }).waitFor({ timeout: 3000 });
    await box.press('Enter');
    await box.pressSequentially('please confirm');
    await expect(box.inputValue()).resolves.toBe('Refund approved? @Demo Manager please confirm');
    await sam.getByTestId('note-save').click();
    await sam.locator('[data-testid="timeline"]', { hasText: 'please confirm' }).waitFor({ timeout: 5000 });
    await boss.locator('[data-testid="notice-toast"]', { hasText: `Sam Support mentioned you on ${caseNumber}` }).waitFor({ timeout: 5000 });
    await expect(boss.getByTestId('notices-unread').innerText()).resolves.toBe('1');
    // The notice links to the case.
    await boss.getByTestId('notices-bell').click();
    await boss.locator('[data-testid="notice"] a', { hasText: caseNumber }).click();
    await boss.locator('[data-testid="case-number"]', { hasText: caseNumber }).waitFor({ timeout: 5000 });
    await expect(boss.getByTestId('notices-unread').innerText()).resolves.toBe('0');
  });

  it('Sam replies to the customer from the case: it reaches the network once', async () => {
    await sam.getByTestId('case-reply-text').fill(REPLY);
    await sam.getByTestId('case-reply-send').dblclick();
    await sam.locator('[data-testid="thread-reply"]', { hasText: '(sent)' }).waitFor({ timeout: 8000 });
    await sam.locator('[data-testid="clock-first_response"][data-state="met"]').waitFor({ timeout: 5000 });
    const log = fs.readFileSync(path.join(proc.dataDir, 'simulated-replies.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string });
    expect(log.filter((p) => p.text === REPLY)).toHaveLength(1);
  });

  it('Sam sets it pending (the clock pauses), then resolves it with a code', async () => {
    await sam.getByRole('button', { name: 'Set pending (waiting on customer)' }).click();
    await sam.locator('[data-testid="case-status"]', { hasText: 'pending' }).waitFor({ timeout: 5000 });
    await sam.locator('[data-testid="clock-resolution"][data-state="paused"]').waitFor({ timeout: 5000 });
    await sam.getByLabel('Resolution code').selectOption('refunded');
    await sam.getByLabel('Resolution note').fill('Refund issued');
    await sam.getByTestId('resolve').click();
    await sam.locator('[data-testid="case-status"]', { hasText: 'resolved' }).waitFor({ timeout: 5000 });
    await expect(sam.getByTestId('resolution-code').innerText()).resolves.toBe('refunded');
    await sam.locator('[data-testid="timeline"]', { hasText: 'paused the SLA clocks' }).waitFor();
  });

  it('the manager sees the support team with no breach', async () => {
    await boss.evaluate(() => (location.hash = '#/cases?team=support&status=open,pending,resolved'));
    await boss.locator('[data-testid="case-row"]', { hasText: caseNumber }).waitFor({ timeout: 5000 });
    await expect(boss.getByTestId('count-breached').innerText()).resolves.toBe('breached: 0');
    expect(errors).toEqual([]);
  });
});
