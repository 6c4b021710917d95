/** X ids are 64-bit snowflakes, ordered by time; compare them as numbers, never as strings. */
export function newerId(candidate: string, than: string | null | undefined): boolean {
  if (!than) return true;
  try {
    return BigInt(candidate) > BigInt(than);
  } catch {
    return candidate !== than;
  }
}
