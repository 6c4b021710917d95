import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/log.js';
import type { Store } from '../../shared/store.js';
import { createDutyRunner, type DutyRunner } from '../../server/duties/duty-runner.js';
import { openSharedTestStores } from '../support/test-store.js';
import { waitFor } from '../support/harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Three runners (three processes' worth: one store connection each) over one SQLite file. */
describe('duty runner: one lease per duty in the store', () => {
  let dir: string;
  let stores: Store[];
  let closeStores: () => Promise<void>;
  let runners: DutyRunner[];
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-duty-'));
    ({ stores, close: closeStores } = await openSharedTestStores(path.join(dir, 'h.sqlite'), 3));
    runners = [];
  });
  afterEach(async () => {
    await Promise.all(runners.map((r) => r.close()));
    await closeStores();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const runner = (i: number, leaseMs: number) => {
    const r = createDutyRunner({ store: stores[i]!, holder: `p${i}`, log: silentLogger, now: () => new Date(), leaseMs });
    runners.push(r);
    return r;
  };

  it('runs each tick in one process only, and a run slower than its tick never overlaps another, in any process', async () => {
    let active = 0;
    let maxActive = 0;
    const runsBy: string[] = [];
    for (let i = 0; i < 3; i++) {
      // The lease is three heartbeats long: a loaded machine may delay one heartbeat, not three.
      runner(i, 900).every('slow', 20, async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runsBy.push(`p${i}`);
        await sleep(300); // fifteen ticks long, a third of the lease: the heartbeat keeps it
        active--;
      });
    }
    await sleep(2200);
    expect(maxActive).toBe(1);
    expect(runsBy.length).toBeGreaterThanOrEqual(5);
    expect(new Set(runsBy).size).toBe(1); // the holder kept its lease across runs
  });

  it('a holder that died (its lease left in the store) is replaced once the lease expires; a clean close hands over at once', async () => {
    // What a process killed with -9 leaves behind: its lease, still running for 600 ms.
    const diedAt = Date.now();
    await stores[0]!.leases.acquire({ name: 'duty:tick', holder: 'dead', ttlMs: 600, now: new Date(diedAt).toISOString() });
    const runs: number[] = [];
    runner(1, 600).every('tick', 30, async () => void runs.push(Date.now()));
    await sleep(400);
    expect(runs).toEqual([]);
    await waitFor(() => runs.length > 0, 3000, 'takeover after expiry');
    expect(runs[0]! - diedAt).toBeGreaterThanOrEqual(600);
    expect(runs[0]! - diedAt).toBeLessThan(600 + 300);
    // A clean close releases: a third process takes over within a tick or two, long before the lease would expire.
    const c = createDutyRunner({ store: stores[2]!, holder: 'p2', log: silentLogger, now: () => new Date(), leaseMs: 60_000 });
    runners.push(c);
    const cRuns: number[] = [];
    c.every('tick', 30, async () => void cRuns.push(Date.now()));
    await sleep(150);
    expect(cRuns).toEqual([]);
    await runners[0]!.close();
    await waitFor(() => cRuns.length > 0, 500, 'takeover after release');
    expect((await stores[2]!.leases.list({ prefix: 'duty:' }))[0]).toMatchObject({ name: 'duty:tick', holder: 'p2' });
  });
});
