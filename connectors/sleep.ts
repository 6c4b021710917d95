/** Waits `ms`, or less if `signal` aborts first; never rejects, never leaves a listener behind. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Exponential backoff after `failures` consecutive failures: base, 2×, 4× … up to 64× the base. */
export const backoffDelay = (baseMs: number, failures: number) => baseMs * 2 ** Math.min(6, Math.max(0, failures - 1));
