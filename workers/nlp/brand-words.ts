/**
 * Words of the brands' own names, which must never count as sentiment or as a
 * topic ("Virgin", "Delta", "Nimbus"), plus each name written as one word
 * ("acmeair", as in handles and hashtags).
 */
export const brandWordsOf = (brands: ReadonlyArray<string | null>) =>
  new Set(
    brands.flatMap((b) => {
      const lower = (b ?? '').toLowerCase();
      return [...lower.split(/[^\p{L}\p{N}]+/u), lower.replace(/[^\p{L}\p{N}]+/gu, '')];
    }).filter((w) => w.length > 1),
  );
