import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHarkError } from '../../../shared/errors.js';
import { silentLogger } from '../../../shared/log.js';
import { DEFAULT_SLA_POLICY } from '../../../shared/sla.js';
import type { Store } from '../../../shared/store.js';
import { createMemoryBus } from '../../../server/bus/memory-bus.js';
import { replaceListSetting, teamsSetting } from '../../../server/operations/list-settings.js';
import { loadTeams } from '../../../server/routing/routing-context.js';
import { readForReplace, readSetting, schemaFor, SettingsDocumentError, settingKeys, writeSetting, type SettingKey } from '../../../server/settings/registry.js';
import { openSqliteStore } from '../../../server/store/sqlite/sqlite-store.js';

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal');
};

describe('settings registry', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-settings-'));
    store = openSqliteStore({ file: path.join(dir, 'h.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a key Hark does not keep, on read and on write, and writes nothing', async () => {
    const unknown = 'billing.plan' as SettingKey;
    const onRead = await refusal(readSetting(store, unknown));
    expect(isHarkError(onRead) && onRead.status).toBe(400);
    expect((onRead as Error).message).toContain('"billing.plan"');
    const onWrite = await refusal(writeSetting(store, unknown, [] as never, 0));
    expect((onWrite as Error).message).toContain('"billing.plan"');
    expect(await store.settings.get({ key: 'billing.plan' })).toBeNull();
    // A family's prefix alone is not a key.
    expect(() => schemaFor('cursor.')).toThrow(/"cursor\."/);
    expect(() => schemaFor('model.sentiment.*')).not.toThrow();
  });

  it('refuses a document that does not fit its key, naming the key and field, and keeps what was stored', async () => {
    await writeSetting(store, 'teams', [{ id: 'billing', name: 'Billing', approvalRequired: false }], 0);
    const e = await refusal(writeSetting(store, 'teams', [{ id: 'Not A Slug', name: 'X' }], 1));
    expect(isHarkError(e) && e.status).toBe(400);
    expect((e as Error).message).toMatch(/^teams\.0\.id: /);
    const bad = await refusal(writeSetting(store, 'cursor.x.search:acme', 42 as never, 0));
    expect((bad as Error).message).toMatch(/^cursor\.x\.search:acme: /);
    expect((await readSetting(store, 'teams'))?.value).toEqual([{ id: 'billing', name: 'Billing', approvalRequired: false }]);
  });

  it('reports a stored document that fails its schema with its key instead of casting it', async () => {
    // Written past the registry, as a hand edit or an older version would.
    await store.settings.set({ key: 'sla.policy', value: { ...DEFAULT_SLA_POLICY, targets: 'soon' }, expectedVersion: 0 });
    await store.settings.set({ key: 'teams', value: [{ id: 'billing' }], expectedVersion: 0 });
    const e = await refusal(readSetting(store, 'sla.policy'));
    expect(e).toBeInstanceOf(SettingsDocumentError);
    expect((e as SettingsDocumentError).key).toBe('sla.policy');
    expect((e as Error).message).toMatch(/^Stored settings "sla\.policy" are not valid at targets/);
    await expect(loadTeams(store)).rejects.toThrow(/Stored settings "teams" are not valid at 0\.name/);
    // A writer may still replace it: it reads as no value, at its version.
    expect(await readForReplace(store, 'teams')).toEqual({ value: null, version: 1 });
  });

  it('lets a good list replace a broken stored one through the operation', async () => {
    await store.settings.set({ key: 'teams', value: 'not a list', expectedVersion: 0 });
    const deps = { store, bus: createMemoryBus(silentLogger), now: () => new Date('2026-12-01T10:00:00Z'), log: silentLogger };
    const actor = await store.users.create({ email: 'm@t.hark', name: 'M', role: 'manager', passwordHash: 'x' });
    const teams = [{ id: 'tier2', name: 'Tier 2', approvalRequired: true }];
    const saved = await replaceListSetting(deps, actor, teamsSetting, { version: 1, teams }, (b) => ({ version: (b as { version: number }).version, items: teams }));
    expect(saved).toEqual({ teams, version: 2 });
    expect(await loadTeams(store)).toEqual({ teams, version: 2 });
  });

  it('round-trips good documents with compare-and-set versions, for fixed keys and key families', async () => {
    const one = await writeSetting(store, 'sla.policy', DEFAULT_SLA_POLICY, 0);
    expect(one.version).toBe(1);
    expect(await readSetting(store, 'sla.policy')).toEqual({ value: DEFAULT_SLA_POLICY, version: 1 });
    await expect(writeSetting(store, 'sla.policy', DEFAULT_SLA_POLICY, 0)).rejects.toMatchObject({ code: 'conflict' });

    await writeSetting(store, 'network.x', { pollSeconds: 30 }, 0);
    expect((await readSetting(store, 'network.x'))?.value).toEqual({ pollSeconds: 30 });
    await writeSetting(store, 'cursor.x.search:acme', '1900000000000000000', 0);
    expect((await readSetting(store, 'cursor.x.search:acme'))?.value).toBe('1900000000000000000');
    await writeSetting(store, 'oauth.x.pending.abc', { sealed: 's', expiresAt: '2026-12-01T10:10:00.000Z' }, 0);
    await writeSetting(store, 'oauth.x.pending.abc', null, 1);
    expect(await readSetting(store, 'oauth.x.pending.abc')).toEqual({ value: null, version: 2 });
    expect(await settingKeys(store, 'oauth.x.pending.')).toEqual(['oauth.x.pending.abc']);
    expect(await readSetting(store, 'privacy.retention')).toBeNull();
  });

  it('keeps a connector health report whose lag is not a finite number, as JSON would (null)', async () => {
    const item = { connectorId: 'x', platform: 'x', state: 'ok' as const, lastSuccessAt: null, lastErrorAt: null, lastError: null, lagMs: Number.NaN, rateLimit: null, budget: null, stream: null, fetched: 0, errors: 0 };
    await writeSetting(store, 'connectors.health', { at: '2026-12-01T10:00:00.000Z', items: [item] }, 0);
    expect((await readSetting(store, 'connectors.health'))?.value.items[0]).toEqual({ ...item, lagMs: null });
  });
});
