import type { Case } from '../../shared/case.js';
import type { Logger } from '../../shared/log.js';
import type { EventBus } from '../../shared/queues.js';
import type { Store } from '../../shared/store.js';
import type { Webhook, WebhookDelivery, WebhookEvent } from '../../shared/webhook.js';
import { isHarkError } from '../../shared/errors.js';
import { signPayload } from './signature.js';

export const WEBHOOKS_KEY = 'webhooks';
const MAX_ATTEMPTS = 8;

export async function loadWebhooks(store: Store): Promise<{ webhooks: Webhook[]; version: number }> {
  const s = await store.settings.get<Webhook[]>({ key: WEBHOOKS_KEY });
  return { webhooks: s?.value ?? [], version: s?.version ?? 0 };
}

/**
 * Mirrors case events to external CRMs. Each (webhook, event id) is recorded
 * once, so a redelivered bus message never sends twice; failed sends retry
 * with exponential backoff; every attempt is kept for the admins' log.
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
}) {
  const send = deps.fetchImpl ?? fetch;
  const backoff = deps.backoffMs ?? 2000;

  const record = async (event: WebhookEvent, kase: Case) => {
    const { webhooks } = await loadWebhooks(deps.store);
    const now = deps.now().toISOString();
    // The case version makes the id: the same change published twice is one event.
    const eventId = `${event}:${kase.id}:v${kase.version}`;
    for (const w of webhooks) {
      if (!w.active || !w.events.includes(event)) continue;
      await deps.store.webhookDeliveries.enqueue({
        delivery: { webhookId: w.id, eventId, event, payload: { id: eventId, event, at: now, case: kase }, state: 'pending', attempts: 0, nextAttemptAt: now, lastStatus: null, lastError: null, createdAt: now, deliveredAt: null },
      });
    }
    void tick();
  };

  const onCase = (event: WebhookEvent) => (msg: { case: Case }) => {
    const events: WebhookEvent[] = [event];
    if (event === 'case.updated' && msg.case.status === 'resolved') events.push('case.resolved');
    for (const e of events) record(e, msg.case).catch((err: unknown) => deps.log.error('webhook enqueue failed', { err }));
  };
  const unsubs = [deps.bus.subscribe('case.created', onCase('case.created')), deps.bus.subscribe('case.updated', onCase('case.updated'))];

  async function attempt(d: WebhookDelivery, hook: Webhook | undefined) {
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
          signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const attempts = d.attempts + 1;
      outcome = error
        ? { attempts, lastStatus: status, lastError: error, state: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', nextAttemptAt: attempts >= MAX_ATTEMPTS ? null : new Date(now.getTime() + backoff * 2 ** (attempts - 1)).toISOString() }
        : { attempts, lastStatus: status, lastError: null, state: 'delivered', nextAttemptAt: null, deliveredAt: now.toISOString() };
    }
    try {
      await deps.store.webhookDeliveries.replace({ delivery: { ...d, ...outcome }, expectedVersion: d.version });
    } catch (e) {
      if (!(isHarkError(e) && e.code === 'conflict')) throw e;
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
  const timer = setInterval(() => void tick(), deps.tickMs ?? 1000);
  timer.unref();

  return {
    tick,
    /** Sends a delivery again now (admins, after fixing their endpoint). */
    async redeliver(id: string) {
      const d = await deps.store.webhookDeliveries.get({ id });
      if (!d) return null;
      return deps.store.webhookDeliveries.replace({ delivery: { ...d, state: 'pending', nextAttemptAt: deps.now().toISOString() }, expectedVersion: d.version });
    },
    async close() {
      clearInterval(timer);
      for (const u of unsubs) u();
      await running;
    },
  };
}
export type WebhookDispatcher = ReturnType<typeof startWebhookDispatcher>;
