import type { DemoAccount } from '../../shared/auth.js';
import type { Logger } from '../../shared/log.js';
import type { Store } from '../../shared/store.js';
import type { Config } from '../config.js';
import { hashPassword } from './passwords.js';

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'agent@demo.hark', password: 'hark-demo-agent', role: 'agent' },
  { email: 'manager@demo.hark', password: 'hark-demo-manager', role: 'manager' },
  { email: 'admin@demo.hark', password: 'hark-demo-admin', role: 'admin' },
];

/**
 * Makes sure someone can sign in: the configured admin, or in demo mode (no
 * admin configured) the demo accounts. Returns the demo accounts it offers.
 */
export async function bootstrapAccounts(store: Store, config: Pick<Config, 'admin' | 'demo'>, log: Logger): Promise<DemoAccount[]> {
  if (config.admin) {
    if (!(await store.users.findByEmail({ email: config.admin.email }))) {
      await store.users.create({ email: config.admin.email, name: 'Administrator', role: 'admin', passwordHash: await hashPassword(config.admin.password) });
      log.info('admin account created', { email: config.admin.email });
    }
    return [];
  }
  if (!config.demo) {
    if ((await store.users.count()) === 0) log.warn('no accounts exist: set HARK_ADMIN_EMAIL and HARK_ADMIN_PASSWORD to create the first admin');
    return [];
  }
  for (const a of DEMO_ACCOUNTS) {
    if (!(await store.users.findByEmail({ email: a.email }))) {
      const name = `Demo ${a.role[0]!.toUpperCase()}${a.role.slice(1)}`;
      await store.users.create({ email: a.email, name, role: a.role, passwordHash: await hashPassword(a.password) });
    }
  }
  return DEMO_ACCOUNTS;
}
