import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/log.js';
import type { Case } from '../../shared/case.js';
import { createMemoryBus } from '../../server/bus/memory-bus.js';
import { checkSlaBreaches, escalate, updateCase } from '../../server/operations/cases.js';
import { SLA_KEY } from '../../server/operations/sla-policy.js';
import { openTestStore } from '../support/test-store.js';
import { DEFAULT_SLA_POLICY } from '../../shared/sla.js';
import { makeNewMention } from '../support/fixtures.js';

describe('SLA clocks on cases', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-sla-'));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sets due times from the policy (business hours), flags breaches once, raises priority and hands over, live', async () => {
    const store = await openTestStore(path.join(dir, 'h.sqlite'));
    const bus = createMemoryBus(silentLogger);
    const updates: Case[] = [];
    bus.subscribe('case.updated', (m) => updates.push(m.case));
    const notices: string[] = [];
    bus.subscribe('team.notice', (n) => notices.push(`${n.team}: ${n.message}`));
    let now = new Date('2026-11-27T16:30:00Z'); // a Friday afternoon
    const deps = { store, bus, now: () => now, log: silentLogger };
    await store.settings.set({
      key: SLA_KEY,
      value: { ...DEFAULT_SLA_POLICY, businessHours: { utcOffsetMinutes: 0, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }, onBreach: { raisePriority: true, reassignTeam: 'tier2' } },
      expectedVersion: 0,
    });
    const actor = await store.users.create({ email: 'a@t.hark', name: 'A', role: 'agent', passwordHash: 'x' });
    const { inserted } = await store.mentions.insertMany({ mentions: [makeNewMention({ priority: 65, label: 'negative' })] });
    const kase = await escalate(deps, actor, { mentionIds: [inserted[0]!.id] });
    expect(kase.priority).toBe('high');
    // High: 60 business minutes for a first response. 30 left on Friday, 30 on Monday morning.
    expect(kase.sla.firstResponseDueAt).toBe('2026-11-30T09:30:00.000Z');

    now = new Date('2026-11-30T09:29:00Z');
    expect(await checkSlaBreaches(deps)).toBe(0);
    now = new Date('2026-11-30T09:31:00Z');
    expect(await checkSlaBreaches(deps)).toBe(1);
    expect(await checkSlaBreaches(deps)).toBe(0); // flagged once
    const after = (await store.cases.get({ id: kase.id }))!;
    expect(after.sla.breached).toEqual(['first_response']);
    expect(after.priority).toBe('urgent');
    expect(after.team).toBe('tier2');
    expect(updates.at(-1)!.sla.breached).toEqual(['first_response']);
    expect(notices).toEqual([`tier2: ${kase.number} breached its first response SLA (now urgent)`]);
    const tl = await store.timeline.list({ entityType: 'case', entityId: kase.id });
    expect(tl.at(-1)).toMatchObject({ kind: 'sla_breach', data: { targets: ['first_response'] } });
    await store.close();
  });

  it('stands still while the case is pending: no breach, due times moved by the pause; warns the holder once when at risk', async () => {
    const store = await openTestStore(path.join(dir, 'p.sqlite'));
    const bus = createMemoryBus(silentLogger);
    let now = new Date('2026-12-01T10:00:00Z');
    const deps = { store, bus, now: () => now, log: silentLogger };
    const actor = await store.users.create({ email: 'p@t.hark', name: 'P', role: 'agent', passwordHash: 'x' });
    const { inserted } = await store.mentions.insertMany({ mentions: [makeNewMention({ priority: 65, label: 'negative' })] });
    const kase = await escalate(deps, actor, { mentionIds: [inserted[0]!.id] });
    // High, no business hours: first response due 11:00, at risk from 10:48 (80 %).
    expect(kase.sla).toMatchObject({ firstResponseDueAt: '2026-12-01T11:00:00.000Z', firstResponseRiskAt: '2026-12-01T10:48:00.000Z', nextDueAt: '2026-12-01T11:00:00.000Z' });
    now = new Date('2026-12-01T10:30:00Z');
    const pending = await updateCase(deps, actor, kase.id, { version: kase.version, status: 'pending' });
    now = new Date('2026-12-01T13:00:00Z'); // long past the due time, but paused all along
    expect(await checkSlaBreaches(deps)).toBe(0);
    expect(await store.notices.unreadCount({ userId: actor.id })).toBe(0);
    const open = await updateCase(deps, actor, kase.id, { version: pending.version, status: 'open' });
    expect(open.sla.firstResponseDueAt).toBe('2026-12-01T13:30:00.000Z'); // 2 h 30 paused
    expect(open.sla.pausedMinutes).toBe(150);
    now = new Date('2026-12-01T13:20:00Z');
    expect(await checkSlaBreaches(deps)).toBe(0);
    await checkSlaBreaches(deps); // a second sweep (another process) warns no second time
    const inbox = await store.notices.list({ userId: actor.id, limit: 10 });
    expect(inbox.map((n) => n.kind)).toEqual(['sla_at_risk']);
    now = new Date('2026-12-01T13:31:00Z');
    expect(await checkSlaBreaches(deps)).toBe(1);
    expect((await store.notices.list({ userId: actor.id, limit: 10 })).map((n) => n.kind)).toEqual(['sla_breached', 'sla_at_risk']);
    await store.close();
  });
});
