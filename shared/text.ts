import { z } from 'zod';

/**
 * The one rule for text people or networks give Hark. Stored text is shown to
 * agents and posted in a brand's name, so characters that are not text are
 * removed at the edge:
 * - C0 controls (NUL, BEL, ESC, …), DEL and C1 controls: terminal escapes,
 *   truncated strings in C drivers, invisible in the UI;
 * - bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069):
 *   they reorder what an agent reads ("Trojan Source"); the marks LRM/RLM/ALM
 *   stay, RTL scripts need nothing else;
 * - a lone surrogate half (not a character; some drivers refuse it) becomes U+FFFD.
 * Emoji (with their joiners and variation selectors) and every script stay.
 * Multi-line text keeps \n and \t (\r\n and \r become \n, U+2028/U+2029 too);
 * single-line text turns any line break or tab into a space.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_SINGLE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BREAKS = /\r\n?|[\u2028\u2029]/g;
const SINGLE_BREAKS = /[\t\n\r\u2028\u2029]+/g;

export function cleanText(s: string, opts: { multiline: boolean }): string {
  let out = s.replace(LONE_SURROGATE, '\uFFFD');
  if (opts.multiline) out = out.replace(BREAKS, '\n').replace(CONTROLS, '');
  else out = out.replace(SINGLE_BREAKS, ' ').replace(CONTROLS_SINGLE, '');
  return out;
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

export interface TextOptions {
  max: number;
  /** 0 allows empty text; default 1 (required). */
  min?: number;
  multiline?: boolean;
  /** Message when the text is empty after cleaning. */
  required?: string;
}

/**
 * A zod string that is cleaned (above), trimmed and length-checked after
 * cleaning: every schema that takes text a person typed uses it.
 */
export function text(opts: TextOptions) {
  const min = opts.min ?? 1;
  return z
    .string()
    .transform((s) => cleanText(s, { multiline: opts.multiline ?? false }).trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? (opts.required ?? 'is required') : `must be at least ${min} characters`)
        .max(opts.max, `must be at most ${opts.max} characters`),
    );
}

/** Text a person writes in several lines: notes, replies, saved replies. */
export const multilineText = (opts: Omit<TextOptions, 'multiline'>) => text({ ...opts, multiline: true });
