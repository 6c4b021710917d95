/** A short description of a job for the dead-letter list: its source and size, never the whole payload. */
export function summarizeJob(job: unknown): string {
  const j = job as { source?: unknown; mentions?: unknown[] } | null;
  if (j && Array.isArray(j.mentions)) return `${String(j.source ?? 'unknown')}: ${j.mentions.length} mention${j.mentions.length === 1 ? '' : 's'}`;
  return JSON.stringify(job)?.slice(0, 200) ?? String(job);
}
