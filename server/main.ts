import { ConfigError, loadConfig } from './config.js';
import { startHark } from './hark.js';
import { createLogger } from './logger.js';
import { describeStore } from './store/open-store.js';

const ROLES = ['all', 'api', 'worker', 'connectors'] as const;

function parseRole(argv: string[]): (typeof ROLES)[number] {
  const i = argv.indexOf('--role');
  const role = i >= 0 ? argv[i + 1] : 'all';
  if (!ROLES.includes(role as (typeof ROLES)[number])) throw new ConfigError(`--role must be one of ${ROLES.join(', ')}`);
  return role as (typeof ROLES)[number];
}

async function main() {
  const config = loadConfig();
  const role = parseRole(process.argv.slice(2));
  const log = createLogger(config.logLevel).child({ role });
  const hark = await startHark(config, { log, role });
  const lines = [hark.url ? `Hark is listening on ${hark.url}` : `Hark ${role} is running`, `  role: ${role}${config.redisUrl ? ' (distributed: queue and bus on Redis)' : ' (embedded)'}`, `  store: ${describeStore(config)}`];
  if (hark.healthUrl) lines.push(`  health: ${hark.healthUrl}`);
  if (config.simulator.enabled) lines.push(`  DEMO MODE: the simulator feeds made-up mentions for ${config.simulator.brands.join(', ')} (SIMULATOR=off to stop it)`);
  if (hark.url) for (const a of hark.demoAccounts) lines.push(`  demo sign-in (${a.role}): ${a.email} / ${a.password}`);
  process.stdout.write(lines.join('\n') + '\n');

  const stop = (signal: string) => {
    log.info('shutting down', { signal });
    hark.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Hark failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
