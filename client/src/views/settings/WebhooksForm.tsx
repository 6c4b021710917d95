import { useState } from 'react';
import { WEBHOOK_EVENTS, type Webhook, type WebhookEvent } from '../../../../shared/webhook.js';
import { ApiError, post } from '../../api/client';
import { Checks, Field, fieldId, SaveBar, slugOf } from './FormBits';
import { useSettingDoc } from './useSettingDoc';

/** What the server sends back instead of a secret; sent back as is, the stored secret stays. */
const HIDDEN = '••••';

interface TestResult {
  ok: boolean;
  status: number | null;
  body: string;
  error: string | null;
  ms: number;
}

/** Webhooks: URL, events, a write-only secret, and "send test" that shows what the receiver answered. */
export function WebhooksForm() {
  const doc = useSettingDoc<Webhook[]>('/api/settings/webhooks', 'webhooks');
  const [draft, setDraft] = useState<Webhook[] | null>(null);
  const [tests, setTests] = useState<Record<string, TestResult | string>>({});
  const hooks = draft ?? doc.value ?? [];
  const edit = (i: number, p: Partial<Webhook>) => setDraft(hooks.map((h, j) => (j === i ? { ...h, ...p } : h)));
  const saved = (id: string) => doc.value?.some((h) => h.id === id) ?? false;
  const test = async (id: string) => {
    try {
      const r = await post<TestResult>(`/api/settings/webhooks/${id}/test`, {}, { quiet: true });
      setTests({ ...tests, [id]: r });
    } catch (e) {
      setTests({ ...tests, [id]: e instanceof ApiError ? e.message : 'Test failed' });
    }
  };
  return (
    <section aria-labelledby="hooks-h">
      <h3 id="hooks-h">Webhooks</h3>
      <p className="muted">Case events to your CRM, signed with HMAC-SHA256 (X-Hark-Signature over "timestamp.body").</p>
      {hooks.map((h, i) => {
        const id = (n: string) => fieldId('hook', i, n);
        const t = tests[h.id];
        return (
          <fieldset key={i} className="card-form" data-testid={`hook-${h.id}`}>
            <legend>{h.id || 'New webhook'}</legend>
            <Field id={id('id')} label="Id" error={doc.errorFor(`${i}.id`)}>
              <input id={id('id')} value={h.id} readOnly={saved(h.id)} onChange={(e) => edit(i, { id: e.target.value })} />
            </Field>
            <Field id={id('url')} label="URL" error={doc.errorFor(`${i}.url`)}>
              <input id={id('url')} type="url" value={h.url} onChange={(e) => edit(i, { url: e.target.value, ...(saved(h.id) || h.id ? {} : { id: slugOf(new URL(e.target.value, 'http://x').hostname) }) })} />
            </Field>
            <Field id={id('secret')} label="Secret" error={doc.errorFor(`${i}.secret`)} hint={h.secret === HIDDEN ? 'Set. Type a new one to replace it; it is never shown again.' : 'At least 16 characters.'}>
              <input id={id('secret')} type="password" autoComplete="new-password" value={h.secret === HIDDEN ? '' : h.secret} placeholder={h.secret === HIDDEN ? 'unchanged' : ''} onChange={(e) => edit(i, { secret: e.target.value || (saved(h.id) ? HIDDEN : '') })} />
            </Field>
            <Checks<WebhookEvent> legend="Events" options={WEBHOOK_EVENTS} value={h.events} onChange={(v) => edit(i, { events: v })} />
            {doc.errorFor(`${i}.events`) && <span className="field-error" role="alert">Events: {doc.errorFor(`${i}.events`)}</span>}
            <label>
              <input type="checkbox" checked={h.active} onChange={(e) => edit(i, { active: e.target.checked })} /> Active
            </label>
            <div className="row">
              <button type="button" onClick={() => void test(h.id)} disabled={!saved(h.id) || draft !== null} title={draft !== null ? 'Save first' : undefined}>
                Send test
              </button>
              <button type="button" onClick={() => setDraft(hooks.filter((_, j) => j !== i))}>
                Remove webhook
              </button>
            </div>
            {t && (
              <div role="status" className="test-result" data-testid={`hook-test-${h.id}`}>
                {typeof t === 'string' ? t : t.status !== null ? `${t.ok ? 'Delivered' : 'Refused'}: HTTP ${t.status} in ${t.ms} ms${t.body ? ` — ${t.body.slice(0, 200)}` : ''}` : `Not delivered: ${t.error}`}
              </div>
            )}
          </fieldset>
        );
      })}
      <button type="button" onClick={() => setDraft([...hooks, { id: '', url: '', secret: '', events: ['case.created', 'case.updated', 'case.resolved'], active: true }])}>
        Add webhook
      </button>
      <SaveBar onSave={() => void doc.save(hooks).then((ok) => ok && setDraft(null))} status={doc.status} dirty={draft !== null} onReload={() => (setDraft(null), void doc.load())} />
    </section>
  );
}
