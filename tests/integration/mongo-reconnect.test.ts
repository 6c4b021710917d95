import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { openMongoStore } from '../../server/store/mongo/mongo-store.js';
import { makeNewMention } from '../support/fixtures.js';
import { dropMongoDatabase, freshMongoUri, MONGODB_URI, skipMongoReason } from '../support/mongo.js';

/** A TCP relay to the test MongoDB that can cut every connection and refuse new ones, as a network outage would. */
async function relay(target: URL) {
  const sockets = new Set<net.Socket>();
  let up = true;
  const server = net.createServer((client) => {
    if (!up) return client.destroy();
    const upstream = net.connect(Number(target.port || 27017), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.runIf(MONGODB_URI)('MongoDB connection dropped while running', () => {
  const uri = MONGODB_URI ? freshMongoUri('hark_drop') : '';
  afterAll(async () => {
    if (uri) await dropMongoDatabase(uri);
  });

  it('answers 503 "try again" during the outage and works again afterwards without a restart', async () => {
    const r = await relay(new URL(uri));
    const via = new URL(uri);
    via.host = `127.0.0.1:${r.port}`;
    const store = await openMongoStore({ uri: via.toString(), connectTimeoutMs: 1500 });
    try {
      const [m] = (await store.mentions.insertMany({ mentions: [makeNewMention()] })).inserted;
      r.cut();
      const during = await store.mentions.get({ id: m!.id }).catch((e: unknown) => e);
      expect(during).toMatchObject({ code: 'unavailable', status: 503 });
      r.restore();
      // The driver reconnects on its own: the same store serves again.
      let back = null;
      for (let i = 0; i < 50 && !back; i++) {
        back = await store.mentions.get({ id: m!.id }).catch(() => null);
        if (!back) await new Promise((res) => setTimeout(res, 200));
      }
      expect(back?.id).toBe(m!.id);
      expect((await store.mentions.insertMany({ mentions: [makeNewMention()] })).inserted).toHaveLength(1);
    } finally {
      await store.close();
      await r.close();
    }
  }, 60_000);
});

if (!MONGODB_URI) {
  describe('MongoDB connection dropped while running', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}
