/** Words of the brands' own names, which must never count as sentiment ("Virgin", "Delta", "Nimbus"). */
export const brandWordsOf = (brands: ReadonlyArray<string | null>) =>
  new Set(brands.flatMap((b) => (b ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length > 1));
