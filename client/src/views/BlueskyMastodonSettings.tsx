import { useEffect, useState } from 'react';

type Settings = Record<string, unknown>;
type Set = (k: string, v: unknown) => void;

/** A comma- or space-separated list typed freely, parsed when the field is left (so a half-typed entry is not thrown away). */
function ListInput({ value, disabled, onChange, size, label, clean }: { value: string[]; disabled: boolean; onChange: (v: string[]) => void; size: number; label: string; clean: (s: string) => string }) {
  const [text, setText] = useState(value.join(', '));
  useEffect(() => setText(value.join(', ')), [value.join(',')]);
  return (
    <input
      aria-label={label}
      value={text}
      disabled={disabled}
      size={size}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => onChange(text.split(/[,\s]+/).map(clean).filter(Boolean))}
    />
  );
}

export function BlueskySettingsFields({ settings, admin, set }: { settings: Settings; admin: boolean; set: Set }) {
  return (
    <label title="After a start or a dropped connection, search reads this many pages (100 posts each) per query back to the last post seen; Jetstream's own replay covers the rest.">
      Search backfill{' '}
      <input type="number" min={0} max={50} value={Number(settings.backfillPages)} disabled={!admin} onChange={(e) => set('backfillPages', Number(e.target.value))} style={{ width: 60 }} /> pages per query
    </label>
  );
}

const hostOf = (origin: string) => {
  try {
    return new URL(/^[a-z]+:\/\//i.test(origin) ? origin : `https://${origin}`).host.toLowerCase();
  } catch {
    return origin.toLowerCase();
  }
};

export function MastodonSettingsFields({ settings, admin, set }: { settings: Settings; admin: boolean; set: Set }) {
  const instances = (settings.instances as string[]) ?? [];
  return (
    <>
      <label>
        Instances <ListInput label="Mastodon instances" value={instances} disabled={!admin} onChange={(v) => set('instances', v)} size={34} clean={(s) => s.trim()} />
      </label>
      <label>
        Timeline{' '}
        <select value={String(settings.timeline)} disabled={!admin} onChange={(e) => set('timeline', e.target.value)}>
          <option value="public">Federated (everything the instance sees)</option>
          <option value="local">Local (the instance's own accounts)</option>
          <option value="none">None (hashtags only)</option>
        </select>
      </label>
      <label>
        Hashtags <ListInput label="Mastodon hashtags" value={(settings.hashtags as string[]) ?? []} disabled={!admin} onChange={(v) => set('hashtags', v)} size={24} clean={(s) => s.trim().replace(/^#/, '')} />
      </label>
      <label>
        Replies from{' '}
        <select value={String(settings.replyInstance ?? '')} disabled={!admin} onChange={(e) => set('replyInstance', e.target.value || null)}>
          <option value="">the first instance with a token</option>
          {instances.map((o) => (
            <option key={o} value={o}>
              {hostOf(o)}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

/** One token field per configured instance; the stored ones are named, never shown. */
export function mastodonCredentialFields(settings: Settings, stored: string[]) {
  return ((settings.instances as string[]) ?? []).map((o) => {
    const host = hostOf(o);
    return { name: host, label: `Access token for ${host}${stored.includes(`tokens.${host}`) ? ' (set)' : ''}`, optional: true, plain: false };
  });
}

export const mastodonCredentialsBody = (filled: Record<string, string>) => (Object.keys(filled).length ? { tokens: filled } : null);
