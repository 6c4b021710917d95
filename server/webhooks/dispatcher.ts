import type { Case } from '../../shared/case.js';
import type { Logger } from '../../shared/log.js';
import type { EventBus } from '../../shared/queues.js';
import type { Store } from '../../shared/store.js';
import type { Webhook, WebhookDelivery, WebhookEvent } from '../../shared/webhook.js';
import { isHarkError } from '../../shared/errors.js';
import { signPayload } from './signature.js';
import { readSetting } from '../settings/registry.js';

export const WEBHOOKS_KEY = 'webhooks' as const;
const MAX_ATTEMPTS = 8;

export async function loadWebhooks(store: Store): Promise<{ webhooks: Webhook[]; version: number }> {
  const s = await readSetting(store, WEBHOOKS_KEY);
  return { webhooks: s?.value ?? [], version: s?.version ?? 0 };
}

/**
 * Mirrors case events to external CRMs. Each (webhook, event id) is recorded
 * once, so a redelivered bus message never sends twice; a delivery is claimed
 * (compare-and-set) before it is sent, so N API processes send it once, and
 * a claim whose sender died expires and is sent again with the same delivery
 * id (at least once, never N times); failed sends retry with exponential
 * backoff; every attempt is kept for the admins' log.
 */
export function startWebhookDispatcher(deps: {
  store: Store;
  bus: EventBus;
  log: Logger;
  now: () => Date;
  fetchImpl?: typeof fetch;
  tickMs?: number;
  backoffMs?: number;
  timeoutMs?: number;
  /** How long a claim keeps other dispatchers off a delivery (default: three send timeouts). */
  leaseMs?: number;
  /** Who claims, in delivery records (the process's lease holder id). */
  holder?: string;
  /** Polls through the duty runner (once per deployment) instead of a timer of its own. */
  duties?: import('../duties/duty-runner.js').DutyRunner;
}) {
  const send = deps.fetchImpl ?? fetch;
  const backoff = deps.backoffMs ?? 2000;

  const record = async (event: WebhookEvent, kase: Case) => {
    const { webhooks } = await loadWebhooks(deps.store);
    const now = deps.now().toISOString();
    // The case version makes the id: the same change published twice is one event.
    const eventId = `${event}:${kase.id}:v${kase.version}`;
    let recorded = false;
    for (const w of webhooks) {
      if (!w.active || !w.events.includes(event)) continue;
      recorded ||= null !== await deps.store.webhookDeliveries.enqueue({
        delivery: { webhookId: w.id, eventId, event, payload: { id: eventId, event, at: now, case: kase }, state: 'pending', attempts: 0, nextAttemptAt: now, lastStatus: null, lastError: null, createdAt: now, deliveredAt: null },
      });
    }
    // Every API process hears the event; the one that recorded it sends it now rather than at the next poll.
    if (recorded) void tick();
  };

  const onCase = (event: WebhookEvent) => (msg: { case: Case }) => {
    const events: WebhookEvent[] = [event];
    if (event === 'case.updated' && msg.case.status === 'resolved') events.push('case.resolved');
    for (const e of events) record(e, msg.case).catch((err: unknown) => deps.log.error('webhook enqueue failed', { err }));
  };
  const unsubs = [deps.bus.subscribe('case.created', onCase('case.created')), deps.bus.subscribe('case.updated', onCase('case.updated'))];

  const holder = deps.holder ?? 'dispatcher';
  const timeoutMs = deps.timeoutMs ?? 10_000;
  // Longer than a send can take (its timeout), so a live sender never loses its claim mid-send.
  const leaseMs = deps.leaseMs ?? timeoutMs * 3;

  /** Claim, then send: of several dispatchers (one per API process) only the one whose compare-and-set wins sends. */
  async function claim(d: WebhookDelivery): Promise<WebhookDelivery | null> {
    const until = new Date(deps.now().getTime() + leaseMs).toISOString();
    try {
      // The attempt counts from the claim: a dispatcher that dies mid-send has used one.
      return await deps.store.webhookDeliveries.replace({ delivery: { ...d, attempts: d.attempts + 1, nextAttemptAt: until, leaseUntil: until, claimedBy: holder }, expectedVersion: d.version });
    } catch (e) {
      if (isHarkError(e) && e.code === 'conflict') return null;
      throw e;
    }
  }

  async function attempt(due: WebhookDelivery, hook: Webhook | undefined) {
    const d = await claim(due);
    if (!d) return;
    const now = deps.now();
    let outcome: Partial<WebhookDelivery>;
    if (!hook || !hook.active) {
      outcome = { state: 'failed', lastError: 'webhook removed or inactive', nextAttemptAt: null };
    } else {
      const body = JSON.stringify(d.payload);
      const ts = String(Math.floor(now.getTime() / 1000));
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await send(hook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Hark-Webhooks/1', 'x-hark-event': d.event, 'x-hark-delivery': d.eventId, 'x-hark-timestamp': ts, 'x-hark-signature': signPayload(hook.secret, ts, body) },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const attempts = d.attempts;
      const done = deps.now();
      outcome = error
        ? { lastStatus: status, lastError: error, state: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', nextAttemptAt: attempts >= MAX_ATTEMPTS ? null : new Date(done.getTime() + backoff * 2 ** (attempts - 1)).toISOString() }
        : { lastStatus: status, lastError: null, state: 'delivered', nextAttemptAt: null, deliveredAt: done.toISOString() };
    }
    try {
      await deps.store.webhookDeliveries.replace({ delivery: { ...d, ...outcome, leaseUntil: null, claimedBy: null }, expectedVersion: d.version });
    } catch (e) {
      // Our claim ran out and another dispatcher took it (or an admin redelivered): theirs is the record that counts.
      if (!(isHarkError(e) && e.code === 'conflict')) throw e;
      deps.log.warn('webhook outcome not recorded: the delivery changed meanwhile', { id: d.id });
    }
  }

  let running: Promise<void> | null = null;
  const tick = () =>
    (running ??= (async () => {
      try {
        const due = await deps.store.webhookDeliveries.due({ now: deps.now().toISOString(), limit: 50 });
        if (due.length === 0) return;
        const { webhooks } = await loadWebhooks(deps.store);
        for (const d of due) await attempt(d, webhooks.find((w) => w.id === d.webhookId));
      } catch (err) {
        deps.log.error('webhook dispatch failed', { err });
      } finally {
        running = null;
      }
    })());
  // Due deliveries are polled by one process (the duty's lease holder); a process that records an event also sends it at once.
  let timer: NodeJS.Timeout | null = null;
  if (deps.duties) deps.duties.every('webhooks', deps.tickMs ?? 1000, () => tick());
  else {
    timer = setInterval(() => void tick(), deps.tickMs ?? 1000);
    timer.unref();
  }

  return {
    tick,
    /** Sends a delivery again now (admins, after fixing their endpoint). */
    async redeliver(id: string) {
      const d = await deps.store.webhookDeliveries.get({ id });
      if (!d) return null;
      return deps.store.webhookDeliveries.replace({ delivery: { ...d, state: 'pending', nextAttemptAt: deps.now().toISOString() }, expectedVersion: d.version });
    },
    async close() {
      if (timer) clearInterval(timer);
      for (const u of unsubs) u();
      await running;
    },
  };
}
export type WebhookDispatcher = ReturnType<typeof startWebhookDispatcher>;
