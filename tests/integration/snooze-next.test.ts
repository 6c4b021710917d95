import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/log.js';
import { createMemoryBus } from '../../server/bus/memory-bus.js';
import { changeTriage, claimNext, snooze, wakeSnoozed } from '../../server/operations/triage.js';
import { openTestStore } from '../support/test-store.js';
import { makeNewMention } from '../support/fixtures.js';

describe('snooze and next, on the clock', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-snooze-'));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('brings snoozed mentions back when their time comes, and next respects teams and priority', async () => {
    const store = await openTestStore(path.join(dir, 'h.sqlite'));
    let now = new Date('2026-11-24T10:00:00Z');
    const deps = { store, bus: createMemoryBus(silentLogger), now: () => now, log: silentLogger };
    const ana = await store.users.create({ email: 'ana@t.hark', name: 'Ana', role: 'agent', passwordHash: 'x', settings: { teams: ['care'] } });
    const { inserted } = await store.mentions.insertMany({
      mentions: [
        makeNewMention({ priority: 95, triage: { ...makeNewMention().triage, team: 'billing' } }),
        makeNewMention({ priority: 80, triage: { ...makeNewMention().triage, team: 'care' } }),
        makeNewMention({ priority: 60 }),
      ],
    });
    const [billing, care, plain] = inserted;
    // The billing mention ranks first but is not Ana's team's.
    expect((await claimNext(deps, ana))!.id).toBe(care!.id);
    expect((await claimNext(deps, ana))!.id).toBe(plain!.id);
    expect(await claimNext(deps, ana)).toBeNull();
    expect((await store.mentions.get({ id: billing!.id }))!.triage.assignee).toBeNull();

    const current = (await store.mentions.get({ id: care!.id }))!;
    await changeTriage(deps, ana, care!.id, current.version, 'snoozed', snooze('2026-11-24T11:00:00.000Z'));
    now = new Date('2026-11-24T10:59:00Z');
    expect(await wakeSnoozed(deps)).toBe(0);
    now = new Date('2026-11-24T11:00:01Z');
    expect(await wakeSnoozed(deps)).toBe(1);
    expect((await store.mentions.get({ id: care!.id }))!.triage).toMatchObject({ status: 'new', snoozedUntil: null });
    await store.close();
  });
});
