/**
 * Ids of posts handed to the sink lately, so a backfill overlapping the stream
 * does not send the same post twice. Bounded: the store's dedupe remains the
 * guarantee; this only saves the pipeline the work.
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}

  /** True when the id is new (and now remembered). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
