import type { ReactNode } from 'react';

/** A stable id from the field's place in the form, so every label points at its input. */
export const fieldId = (...parts: Array<string | number>) => `f-${parts.join('-').replace(/[^a-zA-Z0-9-]/g, '-')}`;

/** A labelled field with its error under it (announced to screen readers). */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | null; hint?: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <span className="muted hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" role="alert" id={`${id}-error`}>
          {label}: {error}
        </span>
      )}
    </div>
  );
}

/** A group of checkboxes with a legend. */
export function Checks<T extends string>({ legend, options, value, onChange, labels }: { legend: string; options: readonly T[]; value: readonly T[]; onChange: (v: T[]) => void; labels?: Partial<Record<T, string>> }) {
  return (
    <fieldset className="checks">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o}>
          <input type="checkbox" checked={value.includes(o)} onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))} /> {labels?.[o] ?? o}
        </label>
      ))}
    </fieldset>
  );
}

export function SaveBar({ onSave, status, dirty, onReload }: { onSave: () => void; status: { kind: string; text: string } | null; dirty: boolean; onReload: () => void }) {
  return (
    <div className="save-bar">
      <button type="button" onClick={onSave} disabled={!dirty}>
        Save
      </button>
      {status && (
        <span role="status" className={`save-status save-${status.kind}`}>
          {status.text} {status.kind === 'conflict' && <button type="button" onClick={onReload}>Reload</button>}
        </span>
      )}
    </div>
  );
}

/** Comma-separated text to a list and back. */
export const splitList = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
export const slugOf = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 64);
