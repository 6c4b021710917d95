import { useCallback, useEffect, useRef, useState } from 'react';

/** How long typing must pause before a search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * The search box's text once typing has paused for `ms`, and a signal for each
 * request that aborts the one before: a burst of keystrokes sends one search,
 * and an answer to an older query can never replace the newer one's.
 */
export function useDebouncedSearch(text: string, ms = SEARCH_DEBOUNCE_MS) {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    // Clearing the box answers at once: nothing to wait for.
    if (text.trim() === '') {
      setSettled(text);
      return;
    }
    const t = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(t);
  }, [text, ms]);

  const current = useRef<AbortController | null>(null);
  useEffect(() => () => current.current?.abort(), []);
  /** A signal for a new request; the previous one is aborted. */
  const nextSignal = useCallback(() => {
    current.current?.abort();
    current.current = new AbortController();
    return current.current.signal;
  }, []);

  return { q: settled, nextSignal };
}

/** An aborted request: not an error to show, its answer is simply not wanted. */
export const isAborted = (e: unknown) => (e as { name?: unknown } | null)?.name === 'AbortError';
