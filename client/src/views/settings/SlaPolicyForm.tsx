import { useState } from 'react';
import { CASE_PRIORITIES } from '../../../../shared/case.js';
import type { Team } from '../../../../shared/routing.js';
import type { SlaPolicy } from '../../../../shared/sla.js';
import { Field, fieldId, SaveBar, splitList } from './FormBits';
import { useSettingDoc } from './useSettingDoc';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
type Hours = NonNullable<SlaPolicy['businessHours']>;
const DEFAULT_HOURS: Hours = { utcOffsetMinutes: 0, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? null, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] };

/** The SLA policy: minutes per priority, business hours (time zone, days, holidays), what happens on a breach. */
export function SlaPolicyForm({ teams }: { teams: Team[] }) {
  const doc = useSettingDoc<SlaPolicy>('/api/settings/sla', 'policy');
  const [draft, setDraft] = useState<SlaPolicy | null>(null);
  const p = draft ?? doc.value;
  if (!p) return null;
  const set = (next: Partial<SlaPolicy>) => setDraft({ ...p, ...next });
  const hours = (next: Partial<Hours>) => set({ businessHours: { ...(p.businessHours ?? DEFAULT_HOURS), ...next } });
  const h = p.businessHours;
  return (
    <section aria-labelledby="sla-h">
      <h3 id="sla-h">SLA policy</h3>
      <table className="audit">
        <caption className="muted">Minutes allowed per case priority (routed mentions get the first-response clock too)</caption>
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">First response</th>
            <th scope="col">Resolution</th>
          </tr>
        </thead>
        <tbody>
          {CASE_PRIORITIES.map((prio) => (
            <tr key={prio}>
              <th scope="row">{prio}</th>
              {(['firstResponseMinutes', 'resolutionMinutes'] as const).map((k) => (
                <td key={k}>
                  <input
                    type="number"
                    min={1}
                    aria-label={`${prio} ${k === 'firstResponseMinutes' ? 'first response' : 'resolution'} minutes`}
                    value={p.targets[prio][k]}
                    onChange={(e) => set({ targets: { ...p.targets, [prio]: { ...p.targets[prio], [k]: Number(e.target.value) } } })}
                  />
                  {doc.errorFor(`targets.${prio}.${k}`) && <span className="field-error" role="alert">{doc.errorFor(`targets.${prio}.${k}`)}</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        <input type="checkbox" checked={h !== null} onChange={(e) => set({ businessHours: e.target.checked ? DEFAULT_HOURS : null })} /> Count only business hours
      </label>
      {h && (
        <fieldset className="card-form">
          <legend>Business hours</legend>
          <Field id={fieldId('sla', 'tz')} label="Time zone" error={doc.errorFor('businessHours.timeZone')} hint="IANA name, e.g. Europe/Lisbon">
            <input id={fieldId('sla', 'tz')} value={h.timeZone ?? ''} onChange={(e) => hours({ timeZone: e.target.value.trim() || null })} />
          </Field>
          {!h.timeZone && (
            <Field id={fieldId('sla', 'offset')} label="Or a fixed offset from UTC (minutes)" error={doc.errorFor('businessHours.utcOffsetMinutes')}>
              <input id={fieldId('sla', 'offset')} type="number" value={h.utcOffsetMinutes} onChange={(e) => hours({ utcOffsetMinutes: Number(e.target.value) })} />
            </Field>
          )}
          <fieldset className="checks">
            <legend>Days</legend>
            {DAYS.map((d, i) => (
              <label key={d}>
                <input type="checkbox" checked={h.days.includes(i)} onChange={(e) => hours({ days: e.target.checked ? [...h.days, i].sort() : h.days.filter((x) => x !== i) })} /> {d}
              </label>
            ))}
          </fieldset>
          {doc.errorFor('businessHours.days') && <span className="field-error" role="alert">Days: {doc.errorFor('businessHours.days')}</span>}
          <div className="row">
            <Field id={fieldId('sla', 'start')} label="Opens" error={doc.errorFor('businessHours.start')}>
              <input id={fieldId('sla', 'start')} type="time" value={h.start} onChange={(e) => hours({ start: e.target.value })} />
            </Field>
            <Field id={fieldId('sla', 'end')} label="Closes" error={doc.errorFor('businessHours.end')}>
              <input id={fieldId('sla', 'end')} type="time" value={h.end} onChange={(e) => hours({ end: e.target.value })} />
            </Field>
          </div>
          <Field id={fieldId('sla', 'holidays')} label="Holidays (YYYY-MM-DD, comma-separated)" error={doc.errorFor('businessHours.holidays') ?? doc.errors.find((e) => e.field.startsWith('businessHours.holidays'))?.message}>
            <input id={fieldId('sla', 'holidays')} value={(h.holidays ?? []).join(', ')} onChange={(e) => hours({ holidays: splitList(e.target.value) })} />
          </Field>
        </fieldset>
      )}
      <fieldset className="card-form">
        <legend>On a breach</legend>
        <label>
          <input type="checkbox" checked={p.onBreach.raisePriority} onChange={(e) => set({ onBreach: { ...p.onBreach, raisePriority: e.target.checked } })} /> Raise the case's priority
        </label>
        {(['reassignTeam', 'notifyTeam'] as const).map((k) => (
          <Field key={k} id={fieldId('sla', k)} label={k === 'reassignTeam' ? 'Hand the case to team' : 'Notify team'} error={doc.errorFor(`onBreach.${k}`)}>
            <select id={fieldId('sla', k)} value={p.onBreach[k] ?? ''} onChange={(e) => set({ onBreach: { ...p.onBreach, [k]: e.target.value || null } })}>
              <option value="">Nobody</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
        ))}
      </fieldset>
      <SaveBar onSave={() => void doc.save(p).then((ok) => ok && setDraft(null))} status={doc.status} dirty={draft !== null} onReload={() => (setDraft(null), void doc.load())} />
    </section>
  );
}
