import { configDefaults, defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/**
 * Integration suites that take their store from tests/support (the harness,
 * openTestStore): with MONGODB_URI set they run a second time on MongoDB, as
 * the project "mongo" (HARK_TEST_STORE=mongo). Without it,
 * tests/integration/mongo-integration-skipped.test.ts says so.
 */
export const STORE_SUITES = [
  'tests/integration/cases-replies.test.ts',
  'tests/integration/corrections.test.ts',
  'tests/integration/crm-webhooks.test.ts',
  'tests/integration/http-api.test.ts',
  'tests/integration/networks.test.ts',
  'tests/integration/realtime.test.ts',
  'tests/integration/rising-topics.test.ts',
  'tests/integration/role-matrix.test.ts',
  'tests/integration/sla-breach.test.ts',
  'tests/integration/snooze-next.test.ts',
  'tests/integration/spikes.test.ts',
  'tests/integration/stop-and-retry.test.ts',
  'tests/integration/triage-workflow.test.ts',
  'tests/integration/x-wiring.test.ts',
  'tests/integration/privacy.test.ts',
  'tests/integration/accounts.test.ts',
  'tests/integration/case-ownership.test.ts',
  'tests/integration/health.test.ts',
  'tests/integration/duty-runner.test.ts',
  'tests/integration/webhook-claims.test.ts',
  'tests/integration/demo-seed.test.ts',
  'tests/integration/settings-forms.test.ts',
  'tests/integration/users-and-teams.test.ts',
];

const mongo = process.env.MONGODB_URI;

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: the e2e and integration suites start servers; keep the pool small.
    maxWorkers: 2,
    env: { DOTENV_CONFIG_QUIET: 'true' },
    projects: [
      { extends: true, test: { name: 'main', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, ...(mongo ? ['tests/integration/mongo-integration-skipped.test.ts'] : [])] } },
      ...(mongo ? [{ extends: true as const, test: { name: 'mongo', include: STORE_SUITES, env: { DOTENV_CONFIG_QUIET: 'true', HARK_TEST_STORE: 'mongo' } } }] : []),
    ],
  },
});
