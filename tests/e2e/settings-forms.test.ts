import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from '../support/chromium.js';
import { openHarkInChromium, type HarkInChromiumWithPage } from '../support/hark-in-chromium.js';
import type { SpawnedHark } from '../support/spawn-hark.js';
import { waitFor } from '../support/harness.js';

const executablePath = findChromium();

describe.skipIf(!executablePath)('e2e in Chromium: a manager sets up a team, a routing rule and the SLA through forms', () => {
  let hark: HarkInChromiumWithPage | undefined;
  let proc: SpawnedHark;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    hark = await openHarkInChromium({ env: { SIMULATOR_RATE: '6' }, role: 'manager' });
    ({ proc, page, pageErrors } = hark);
    await page.goto(`${proc.url}/#/settings`);
    await page.locator('section[aria-labelledby="teams-h"]').waitFor({ timeout: 10_000 });
  }, 180_000);

  afterAll(() => hark?.close());

  const api = (path: string) => page.evaluate(async (p) => (await fetch(p)).json(), path);

  it('shows the seeded demo setup as forms, not JSON', async () => {
    expect(await page.locator('.settings textarea').count()).toBe(0);
    await page.locator('[data-testid="team-acme-air-care"]').waitFor();
    await page.locator('[data-testid="rule-vip-complaints"]').waitFor();
  });

  it('creates a team, a rule moved to the top with its preview, and an SLA target; the next matching mention is routed there with the clock running', async () => {
    const teams = page.locator('section[aria-labelledby="teams-h"]');
    await teams.getByLabel('New team name').fill('Refunds desk');
    await teams.getByLabel('New team name').press('Enter');
    await teams.getByRole('button', { name: 'Save' }).click();
    await teams.getByRole('status').getByText('Saved.').waitFor({ timeout: 5000 });

    const rules = page.locator('section[aria-labelledby="rules-h"]');
    await rules.getByRole('button', { name: 'Add rule' }).click();
    const n = await rules.locator('fieldset.card-form').count();
    const last = rules.locator('fieldset.card-form').nth(n - 1);
    await last.getByLabel('Name').fill('Refunds');
    await last.getByLabel('Any of these words or phrases (comma-separated)').fill('refund, reembolso');
    await last.getByLabel('Then hand to team').selectOption({ label: 'Refunds desk' });
    // First match wins: move it above the seeded rules, with the keyboard.
    for (let i = 0; i < n - 1; i++) {
      const up = rules.getByRole('button', { name: 'Move Refunds up' });
      await up.focus();
      await page.keyboard.press('Enter');
    }
    await expect(rules.locator('fieldset.card-form').first().locator(':scope > legend').innerText()).resolves.toBe('1. Refunds');
    await waitFor(async () => ((await api('/api/mentions?limit=200&sort=recent')).items.some((m: { text: string }) => /refund|reembolso/i.test(m.text)) ? true : undefined), 60_000, 'a refund mention to preview');
    await rules.getByRole('button', { name: 'Preview on the last 200 mentions' }).click();
    const preview = rules.locator('[data-testid="preview-refunds"]');
    await preview.waitFor({ timeout: 5000 });
    expect(await preview.innerText()).toMatch(/Would take [1-9]\d* of the last \d+ mentions[\s\S]*(refund|reembolso)/i);
    await rules.getByRole('button', { name: 'Save' }).click();
    await rules.getByRole('status').getByText('Saved.').waitFor({ timeout: 5000 });

    const sla = page.locator('section[aria-labelledby="sla-h"]');
    await sla.getByLabel('normal first response minutes').fill('45');
    await sla.getByLabel('high first response minutes').fill('20');
    await sla.getByRole('button', { name: 'Save' }).click();
    await sla.getByRole('status').getByText('Saved.').waitFor({ timeout: 5000 });

    const saved = await api('/api/settings/routing-rules');
    expect(saved.rules[0]).toMatchObject({ id: 'refunds', when: { keywords: ['refund', 'reembolso'] }, then: { team: 'refunds-desk' } });
    const savedAt = Date.now();
    const routed = await waitFor(
      async () => {
        const page1 = await api('/api/mentions?limit=200&sort=recent');
        return page1.items.find((m: { text: string; ingestedAt: string; triage: { team: string | null } }) => /refund|reembolso/i.test(m.text) && Date.parse(m.ingestedAt) >= savedAt && m.triage.team === 'refunds-desk');
      },
      90_000,
      'a new refund mention routed to the Refunds desk',
    );
    expect(Date.parse(routed.triage.slaDueAt)).toBeGreaterThan(Date.parse(routed.ingestedAt));
    expect(routed.scores.priority.reasons).toContain('routed: Refunds');
  }, 180_000);

  it('shows the server naming the field when a value is refused, and a concurrent save instead of overwriting it', async () => {
    const sla = page.locator('section[aria-labelledby="sla-h"]');
    await sla.getByLabel('low resolution minutes').fill('0');
    await sla.getByRole('button', { name: 'Save' }).click();
    await sla.getByRole('alert').first().waitFor({ timeout: 5000 });
    expect(await sla.getByRole('status').innerText()).toMatch(/targets\.low\.resolutionMinutes/);
    await sla.getByLabel('low resolution minutes').fill('4000');
    // Someone else saves the policy meanwhile.
    await page.evaluate(async () => {
      const cur = await (await fetch('/api/settings/sla')).json();
      await fetch('/api/settings/sla', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: cur.version, policy: { ...cur.policy, onBreach: { ...cur.policy.onBreach, raisePriority: false } } }) });
    });
    await sla.getByRole('button', { name: 'Save' }).click();
    await sla.getByText(/Someone else saved this/).waitFor({ timeout: 5000 });
    expect((await api('/api/settings/sla')).policy.onBreach.raisePriority).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
