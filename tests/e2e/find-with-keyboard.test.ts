import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInOverApi } from '../support/browser-sign-in.js';
import { findChromium } from '../support/chromium.js';
import { startHarkInChromium, type HarkInChromium } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';
import { waitFor } from '../support/harness.js';

const executablePath = findChromium();

/**
 * Finding things without the mouse, and without JSON: a queue row opened with
 * Tab and Enter (and Space), a customer found on the Customers page and opened
 * into the 360 view, and a user's teams, capacity and approval edited on the
 * Users page from the keyboard, with the refused value named beside its field.
 */
describe.skipIf(!executablePath)('e2e in Chromium: the queue and the Users form by keyboard, a customer found from the Customers page', () => {
  let hark: HarkInChromium | undefined;
  let proc: SpawnedHark;
  let pageErrors: string[];
  const open = (role: 'agent' | 'admin'): Promise<Page> => hark!.openPage({ role });

  beforeAll(async () => {
    hark = await startHarkInChromium({ env: { SIMULATOR_RATE: '0' } });
    ({ proc, pageErrors } = hark);
    const setup = await hark.browser.newContext();
    await signInOverApi(setup.request, proc, 'admin');
    const lines = [
      { id: 'kb-1', text: 'Orbitel my bill doubled this month and nobody explains why', author: 'kb_quinn', author_followers: 120, brand: 'Orbitel' },
      { id: 'kb-2', text: 'Brightbank the app logs me out every time I open my card page', author: 'kb_rosa', author_followers: 80, brand: 'Brightbank' },
    ];
    const imp = await setup.request.post(`${proc.url}/api/import?platform=simulator`, { data: lines.map((l) => JSON.stringify(l)).join('\n'), headers: { 'content-type': 'application/x-ndjson' } });
    expect(await imp.json()).toMatchObject({ stored: 2 });
    const cust = await setup.request.post(`${proc.url}/api/customers`, { data: { name: 'Quinn Keyes', identities: [{ platform: 'simulator', handle: 'kb_quinn' }] } });
    expect(cust.status(), await cust.text()).toBe(201);
    await setup.close();
  }, 180_000);

  afterAll(() => hark?.close());

  /** Presses Tab until the focused element matches, as a keyboard user would; fails after `max` presses. */
  const tabTo = async (page: Page, selector: string, max = 80) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  };
  const focusedRowId = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-testid="queue-row"]')?.getAttribute('data-mention-id') ?? null);

  it('opens a queue row with Tab and Enter, and another with Space, without the mouse', async () => {
    const page = await open('agent');
    await page.locator('[data-testid="queue-row"]', { hasText: 'kb_quinn' }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="queue-row"]', { hasText: 'kb_rosa' }).waitFor({ timeout: 15_000 });
    // From the top of the page.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, '[data-testid="queue-row-open"]');
    const first = await focusedRowId(page);
    expect(first).toBeTruthy();
    await page.keyboard.press('Enter');
    const detail = page.locator('[data-testid="mention-detail"]');
    await detail.waitFor({ timeout: 10_000 });
    const firstText = await page.locator(`[data-testid="queue-row"][data-mention-id="${first}"] .snippet`).innerText();
    await expect(detail.locator('.mention-text').innerText()).resolves.toBe(firstText);

    // The next row: Tab past this row's controls to the next row's button, Space opens it.
    await page.locator(`[data-testid="queue-row"][data-mention-id="${first}"] [data-testid="queue-row-open"]`).focus();
    await tabTo(page, '[data-testid="queue-row-open"]');
    const second = await focusedRowId(page);
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    await page.keyboard.press('Space');
    const secondText = await page.locator(`[data-testid="queue-row"][data-mention-id="${second}"] .snippet`).innerText();
    await waitFor(async () => ((await detail.locator('.mention-text').innerText()) === secondText ? true : undefined), 5000, 'the second mention open');
    await page.context().close();
  }, 90_000);

  it('finds a customer on the Customers page by handle and by name, and opens the 360 view', async () => {
    const page = await open('agent');
    await page.getByRole('link', { name: 'Customers' }).click();
    const search = page.getByLabel('Search customers by name, handle or email');
    await search.fill('kb_quin');
    const row = page.locator('[data-testid="customer-row"]', { hasText: 'Quinn Keyes' });
    await row.waitFor({ timeout: 10_000 });
    await waitFor(async () => ((await page.locator('[data-testid="customer-row"]').count()) === 1 ? true : undefined), 5000, 'only Quinn listed');
    await expect(row.innerText()).resolves.toMatch(/simulator: kb_quinn/);
    await search.fill('keyes');
    await row.waitFor({ timeout: 10_000 });
    await search.fill('nobody-is-called-this');
    await page.getByText('No customer matches.').waitFor({ timeout: 10_000 });
    await search.fill('Quinn');
    await row.getByRole('link', { name: 'Quinn Keyes' }).click();
    const view = page.locator('[data-testid="customer"]');
    await view.waitFor({ timeout: 10_000 });
    await expect(view.locator('h2').innerText()).resolves.toBe('Quinn Keyes');
    await view.getByText('my bill doubled this month').first().waitFor({ timeout: 10_000 });
    expect(page.url()).toMatch(/#\/customers\/\d+$/);
    await page.context().close();
  }, 90_000);

  it("edits a user's capacity, teams and approval from the keyboard; a refused capacity is named beside the field", async () => {
    const page = await open('admin');
    await page.evaluate(() => (location.hash = '#/users'));
    await page.locator('[data-testid="users"]').waitFor({ timeout: 10_000 });
    const users = (await page.evaluate(async () => (await fetch('/api/users')).json())).items as Array<{ id: string; name: string; role: string; teams: string[] }>;
    const agent = users.find((u) => u.role === 'agent')!;
    const teams = (await page.evaluate(async () => (await fetch('/api/settings/teams')).json())).teams as Array<{ id: string; name: string }>;
    const team = teams.find((t) => !agent.teams.includes(t.id))!;

    await page.getByRole('button', { name: `Edit ${agent.name}`, exact: true }).focus();
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: `Edit ${agent.name}` });
    await form.waitFor({ timeout: 5000 });
    // The capacity field has focus.
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('1001');
    await expect(form.getByRole('alert').first().innerText()).resolves.toBe('Capacity: must be a whole number from 0 to 1000');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('12');
    await expect(form.getByRole('alert').count()).resolves.toBe(0);
    await form.getByRole('checkbox', { name: team.name }).focus();
    await page.keyboard.press('Space');
    await form.getByRole('checkbox', { name: "Replies need a manager's approval" }).focus();
    await page.keyboard.press('Space');
    await form.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached', timeout: 5000 });
    // Focus goes back to the Edit button.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(`Edit ${agent.name}`);
    const after = (await page.evaluate(async () => (await fetch('/api/users')).json())).items.find((u: { id: string }) => u.id === agent.id);
    expect(after).toMatchObject({ capacity: 12, needsApproval: true });
    expect(after.teams).toEqual([...agent.teams, team.id]);
    await page.getByTestId(`user-${agent.id}`).getByText(team.name).waitFor({ timeout: 5000 });

    // Escape closes the form without saving.
    await page.keyboard.press('Enter');
    await form.waitFor({ timeout: 5000 });
    await page.keyboard.type('3');
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached', timeout: 5000 });
    expect((await page.evaluate(async () => (await fetch('/api/users')).json())).items.find((u: { id: string }) => u.id === agent.id).capacity).toBe(12);

    // Adding a user: the server's refusal is shown beside the field it names; then the user is created with a team and a capacity.
    const add = page.locator('section[aria-labelledby="new-user-title"]');
    await add.getByLabel('Name').fill('Nadia New');
    await add.getByLabel('Email').fill('not-an-email');
    await add.getByLabel('First password').fill('a-long-first-password');
    await add.getByRole('button', { name: 'Add user' }).press('Enter');
    await expect(add.locator('.field-error').innerText()).resolves.toBe('Email: email must be an email address');
    await add.getByLabel('Email').fill('nadia@demo.hark');
    await add.getByLabel('Capacity').fill('4');
    await add.getByRole('checkbox', { name: team.name }).check();
    await add.getByRole('button', { name: 'Add user' }).press('Enter');
    await add.getByText('User added.').waitFor({ timeout: 5000 });
    const nadia = (await page.evaluate(async () => (await fetch('/api/users')).json())).items.find((u: { email: string }) => u.email === 'nadia@demo.hark');
    expect(nadia).toMatchObject({ name: 'Nadia New', role: 'agent', capacity: 4, teams: [team.id], needsApproval: false });
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('saves a team and its members from the Settings page in one request', async () => {
    const page = await open('admin');
    await page.evaluate(() => (location.hash = '#/settings'));
    const section = page.locator('section[aria-labelledby="teams-h"]');
    await section.waitFor({ timeout: 10_000 });
    const users = (await page.evaluate(async () => (await fetch('/api/users')).json())).items as Array<{ id: string; name: string; role: string; disabled: boolean }>;
    const member = users.find((u) => u.role === 'agent' && !u.disabled)!;
    await section.getByLabel('New team name').fill('Night shift');
    await section.getByLabel('New team name').press('Enter');
    const card = section.locator('[data-testid="team-night-shift"]');
    await card.getByRole('checkbox', { name: new RegExp(`^${member.name} \\(`) }).check();
    const puts: string[] = [];
    page.on('request', (r) => r.method() !== 'GET' && puts.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByRole('status').getByText('Saved.').waitFor({ timeout: 5000 });
    // One write: the teams document and the members together, no PATCH per user.
    expect(puts).toEqual(['PUT /api/settings/teams']);
    const after = (await page.evaluate(async () => (await fetch('/api/users')).json())).items.find((u: { id: string }) => u.id === member.id);
    expect(after.teams).toContain('night-shift');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
