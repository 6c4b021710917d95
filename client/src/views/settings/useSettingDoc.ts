import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, get } from '../../api/client';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * One settings document (teams, rules, SLA, webhooks) edited in a form: loaded
 * with its version, saved with it. A save that lost the race (409) is shown,
 * never overwritten; a 400 names the fields, shown next to them.
 */
export function useSettingDoc<T>(path: string, field: string) {
  const [value, setValue] = useState<T | null>(null);
  const [version, setVersion] = useState(0);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<{ kind: 'saved' | 'conflict' | 'error'; text: string } | null>(null);
  const load = useCallback(async () => {
    const r = await get<Record<string, unknown> & { version: number }>(path);
    setValue(r[field] as T);
    setVersion(r.version);
    setErrors([]);
  }, [path, field]);
  useEffect(() => void load().catch(() => undefined), [load]);
  /** `extra`: more of the body the document's PUT takes (the teams' `members`). */
  const save = async (next: T, extra?: Record<string, unknown>) => {
    setStatus(null);
    try {
      const r = await api<Record<string, unknown> & { version: number }>('PUT', path, { version, [field]: next, ...extra }, { quiet: true });
      setValue(r[field] as T);
      setVersion(r.version);
      setErrors([]);
      setStatus({ kind: 'saved', text: 'Saved.' });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setStatus({ kind: 'conflict', text: 'Someone else saved this while you were editing. Your changes are not saved: reload to see theirs, then make yours again.' });
      else if (e instanceof ApiError && e.status === 400) {
        const details = Array.isArray(e.details) ? (e.details as FieldError[]) : [];
        // The server names the field from the body: strip "body." and the document's own name.
        setErrors(details.map((d) => ({ ...d, field: d.field.replace(/^body\./, '').replace(new RegExp(`^${field}\\.`), '') })));
        setStatus({ kind: 'error', text: e.message });
      } else setStatus({ kind: 'error', text: e instanceof ApiError ? e.message : 'Save failed' });
      return false;
    }
  };
  const errorFor = (f: string) => errors.find((e) => e.field === f)?.message ?? null;
  return { value, setValue, version, save, load, status, errors, setErrors, errorFor };
}
