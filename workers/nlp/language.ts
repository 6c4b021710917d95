import { eld } from 'eld/medium';
import { stripNoise } from './text.js';

/**
 * ISO 639-1 code of the post's language, or 'und'. A language given by the
 * network is trusted; eld reads the text without links and handles, and a
 * detection it calls unreliable on a very short text is not trusted.
 */
export function detectLanguage(text: string, given?: string | null): string {
  if (given && /^[a-z]{2}(-[a-z]{2})?$/i.test(given)) return given.slice(0, 2).toLowerCase();
  const clean = stripNoise(text).trim();
  if (clean.length < 3) return 'und';
  const r = eld.detect(clean);
  if (!r.language) return 'und';
  if (!r.isReliable() && clean.length < 25) return 'und';
  return r.language;
}
