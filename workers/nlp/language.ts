import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { stripNoise } from './text.js';

type Eld = (typeof import('eld/extrasmall'))['eld'];
let detector: Eld | null = null;
/**
 * The extra-small n-gram database: 83 MB instead of 186 MB resident for the medium one,
 * at the same accuracy on the UMSAB dev set (0.844 vs 0.845) and faster. Loaded on the
 * first text that needs it, not on import: when a pool of threads scores, the server's
 * own thread never detects a language and would hold those 83 MB for nothing. eld ships
 * ESM only, under an "import" export condition; Node (20.19+, 22.12+) requires ESM
 * synchronously, so the file is required by its resolved path.
 */
/** Whether this thread holds the n-gram tables (tests, and the memory notes in BENCHMARKS.md). */
export const languageModelLoaded = () => detector !== null;

function eld(): Eld {
  if (detector) return detector;
  const file = fileURLToPath(import.meta.resolve('eld/extrasmall'));
  detector = (createRequire(import.meta.url)(file) as typeof import('eld/extrasmall')).eld;
  return detector;
}

/**
 * ISO 639-1 code of the post's language, or 'und'. A language given by the
 * network is trusted; eld reads the text without links and handles, and a
 * detection it calls unreliable on a very short text is not trusted.
 */
export function detectLanguage(text: string, given?: string | null): string {
  if (given && /^[a-z]{2}(-[a-z]{2})?$/i.test(given)) return given.slice(0, 2).toLowerCase();
  const clean = stripNoise(text).trim();
  if (clean.length < 3) return 'und';
  if (plainEnglish(clean)) return 'en';
  const r = eld().detect(clean);
  if (!r.language) return 'und';
  if (!r.isReliable() && clean.length < 25) return 'und';
  return r.language;
}

// Most posts a brand gets are plain English; n-gram detection is the slowest step
// of scoring, so a post in ASCII with several English function words skips it.
const ENGLISH = new Set(['the', 'and', 'to', 'my', 'is', 'for', 'you', 'i', 'on', 'it', 'was', 'of', 'in', 'with', 'this', 'that', 'are', 'have', 'not', 'your', 'me', 'at', 'be', 'just', 'but', 'can', 'what', 'why', 'how', 'our', 'we', 'get', 'been', 'will', 'do', "don't", "can't", 'still', 'no', 'please', 'thanks', 'from', 'an', 'a']);
function plainEnglish(text: string): boolean {
  if (/[^\t\n\r\x20-\x7E\u2018\u2019\u201C\u201D\u2026]/.test(text)) return false;
  let hits = 0;
  let words = 0;
  for (const w of text.toLowerCase().split(/[^a-z']+/)) {
    if (!w) continue;
    words++;
    if (ENGLISH.has(w)) hits++;
  }
  return words >= 4 && hits >= 2 && hits / words >= 0.2;
}
