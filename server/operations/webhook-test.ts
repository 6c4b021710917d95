import crypto from 'node:crypto';
import type { User } from '../../shared/auth.js';
import { NotFoundError } from '../../shared/errors.js';
import { loadWebhooks } from '../webhooks/dispatcher.js';
import { signPayload } from '../webhooks/signature.js';
import { audit, type OpsDeps } from './deps.js';

export interface WebhookTestResult {
  ok: boolean;
  status: number | null;
  /** The start of what the receiver answered, to show the admin. */
  body: string;
  error: string | null;
  ms: number;
}

/**
 * Posts one signed `webhook.test` event to a saved webhook, once (no retry,
 * no delivery record), and says what the receiver answered. Signed like every
 * delivery, so the receiver's signature check is tested too.
 */
export async function sendWebhookTest(deps: OpsDeps, actor: User, id: string, opts: { fetchImpl?: typeof fetch; timeoutMs?: number } = {}): Promise<WebhookTestResult> {
  const { webhooks } = await loadWebhooks(deps.store);
  const hook = webhooks.find((h) => h.id === id);
  if (!hook) throw new NotFoundError(`No webhook with id ${id}`);
  const at = deps.now();
  const eventId = `test-${crypto.randomUUID()}`;
  const body = JSON.stringify({ id: eventId, event: 'webhook.test', at: at.toISOString(), data: { webhookId: hook.id, message: 'A test event from Hark. Nothing happened to any case.' } });
  const ts = String(Math.floor(at.getTime() / 1000));
  const started = Date.now();
  let result: WebhookTestResult;
  try {
    const res = await (opts.fetchImpl ?? fetch)(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Hark-Webhooks/1', 'x-hark-event': 'webhook.test', 'x-hark-delivery': eventId, 'x-hark-timestamp': ts, 'x-hark-signature': signPayload(hook.secret, ts, body) },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    const text = (await res.text().catch(() => '')).slice(0, 1000);
    result = { ok: res.ok, status: res.status, body: text, error: null, ms: Date.now() - started };
  } catch (e) {
    result = { ok: false, status: null, body: '', error: e instanceof Error ? (e.name === 'TimeoutError' ? 'no answer within the timeout' : e.message) : String(e), ms: Date.now() - started };
  }
  await audit(deps, actor, 'webhook.tested', 'settings', `webhooks.${hook.id}`, null, { status: result.status, ok: result.ok, error: result.error });
  return result;
}
