import { useEffect, useState } from 'react';
import { errors, type ApiError } from '../api/client';

/** The one place errors are shown. */
export function ErrorBanner() {
  const [err, setErr] = useState<ApiError | null>(null);
  useEffect(() => errors.subscribe(setErr), []);
  useEffect(() => {
    if (!err) return;
    const t = setTimeout(() => setErr(null), 8000);
    return () => clearTimeout(t);
  }, [err]);
  if (!err) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span>{err.message}</span>
      <button onClick={() => setErr(null)} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
