import { expect } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import type { SpawnedHark } from './spawn-hark.js';

export type DemoRole = 'agent' | 'manager' | 'admin';

/** The demo account of `role` that the spawned Hark printed; fails naming the roles it did print. */
export function demoAccount(proc: SpawnedHark, role: DemoRole): { email: string; password: string } {
  const account = proc.demo.find((d) => d.role === role);
  if (!account) throw new Error(`no demo ${role} account; the demo printed: ${proc.demo.map((d) => d.role).join(', ')}`);
  return account;
}

/** Signs a demo account of the spawned Hark in through the sign-in page and waits for the queue. */
export async function signInAs(page: Page, proc: SpawnedHark, role: DemoRole): Promise<{ email: string; password: string }> {
  const account = demoAccount(proc, role);
  await page.goto(proc.url);
  await page.locator('input[type="email"]').fill(account.email);
  await page.locator('input[type="password"]').fill(account.password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="queue-list"]').waitFor({ timeout: 15_000 });
  return account;
}

/** Signs a demo account in over the API only: the context of `request` gets the session cookie, no page is loaded. */
export async function signInOverApi(request: APIRequestContext, proc: SpawnedHark, role: DemoRole): Promise<void> {
  const { email, password } = demoAccount(proc, role);
  expect((await request.post(`${proc.url}/api/auth/login`, { data: { email, password } })).status()).toBe(200);
}
