import { NotFoundError } from '../../shared/errors.js';
import type { Webhook, WebhookDelivery } from '../../shared/webhook.js';
import { loadWebhooks, WEBHOOKS_KEY, type WebhookDispatcher } from '../webhooks/dispatcher.js';
import type { OpsDeps } from './deps.js';
import type { ListSetting } from './list-settings.js';

/** Webhook secrets are write-only: they are never sent back; a hook sent back with the mask keeps its stored secret. */
const HIDDEN = '••••';
const hideSecrets = (hooks: Webhook[]) => hooks.map(({ secret: _s, ...rest }) => ({ ...rest, secret: HIDDEN }));
const keepSecrets = (sent: unknown, stored: Webhook[]) =>
  Array.isArray(sent)
    ? sent.map((h: unknown) => {
        const hook = h as Partial<Webhook> | null;
        if (!hook || hook.secret !== HIDDEN) return h;
        const old = stored.find((s) => s.id === hook.id);
        return old ? { ...hook, secret: old.secret } : h;
      })
    : sent;

export const webhooksSetting: ListSetting<Webhook> = {
  key: WEBHOOKS_KEY,
  field: 'webhooks',
  load: async (store) => {
    const { webhooks, version } = await loadWebhooks(store);
    return { items: webhooks, version };
  },
  redact: hideSecrets,
  unredact: keepSecrets,
};

export const listDeliveries = (deps: Pick<OpsDeps, 'store'>, q: { webhookId?: string; limit: number; cursor?: string }) => deps.store.webhookDeliveries.list(q);

/** Queues the delivery again and runs one dispatch tick, so the admin sees the new attempt's outcome. */
export async function redeliverNow(deps: Pick<OpsDeps, 'store'>, dispatcher: WebhookDispatcher, id: string): Promise<WebhookDelivery | null> {
  const d = await dispatcher.redeliver(id);
  if (!d) throw new NotFoundError(`No delivery with id ${id}`);
  await dispatcher.tick();
  return deps.store.webhookDeliveries.get({ id: d.id });
}
