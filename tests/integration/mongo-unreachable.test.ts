import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { startHark } from '../../server/hark.js';
import { createLogger } from '../../server/logger.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('STORE=mongo with a MongoDB that is not there', () => {
  it('stops the start with a message naming MONGODB_URI (and hides the password)', async () => {
    const port = await freePort();
    const config = loadConfig({ PORT: '0', STORE: 'mongo', MONGODB_URI: `mongodb://hark:s3cret@127.0.0.1:${port}/hark`, MONGODB_CONNECT_TIMEOUT_MS: '500', SIMULATOR: 'off' });
    const err = await startHark(config, { log: createLogger('silent') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/MONGODB_URI: cannot reach MongoDB at mongodb:\/\/hark:\*\*\*@127\.0\.0\.1/);
    expect((err as Error).message).not.toMatch(/s3cret/);
  });
});
