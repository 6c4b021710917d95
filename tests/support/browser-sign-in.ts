import type { Page } from 'playwright-core';
import type { SpawnedHark } from './spawn-hark.js';

/** Signs a demo account of the spawned Hark in through the sign-in page and waits for the queue. */
export async function signInAs(page: Page, proc: SpawnedHark, role: 'agent' | 'manager' | 'admin'): Promise<{ email: string; password: string }> {
  const account = proc.demo.find((d) => d.role === role);
  if (!account) throw new Error(`no demo ${role} account; the demo printed: ${proc.demo.map((d) => d.role).join(', ')}`);
  await page.goto(proc.url);
  await page.locator('input[type="email"]').fill(account.email);
  await page.locator('input[type="password"]').fill(account.password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="queue-list"]').waitFor({ timeout: 15_000 });
  return account;
}
