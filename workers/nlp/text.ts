const URL_RE = /https?:\/\/\S+|www\.\S+/gi;
const HANDLE_RE = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_]{1,30}/gu;

/** Text without links and @handles: what language detection and lexicons should read. */
export function stripNoise(text: string): string {
  // "#NeverAgain" reads as "Never Again".
  return text.replace(URL_RE, ' ').replace(HANDLE_RE, '$1 ').replace(/#([\p{L}\p{N}_]+)/gu, (_, tag: string) => ` ${tag.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')}`);
}

// Emoticons are matched after lower-casing, so ":D" arrives as ":d"; the lookahead keeps "re:open" a word.
const TOKEN_RE = /[:;=]['’]?-?(?:\){2,}|\({2,}|[()[\]dpo/|*])(?!\p{L})|[\p{L}\p{N}'’_-]+|[!?]+|\p{Extended_Pictographic}|<3+|♥/gu;

/**
 * Text as lexicons should read it: "\u2019" left escaped by some exports is
 * decoded, and curly apostrophes become straight ones so "don’t" is the
 * "don't" the negation lists and phrase rules know.
 */
function plainText(text: string): string {
  const decoded = text.includes('\\u') ? text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
  return decoded.replace(/[’‘`´]/g, "'");
}

/** What the lexicons read: plain text without links and handles, lower-cased. */
export const readable = (text: string) => stripNoise(plainText(text)).toLowerCase();

/** Word, punctuation-run, emoji and emoticon tokens of text already made readable. */
export const tokensOf = (lower: string): string[] => lower.match(TOKEN_RE) ?? [];

/** Lower-cased word, punctuation-run, emoji and emoticon tokens. */
export function tokenize(text: string): string[] {
  return tokensOf(readable(text));
}

export const countLinks = (text: string) => (text.match(URL_RE) ?? []).length;
export const countHashtags = (text: string) => (text.match(/#[\p{L}\p{N}_]+/gu) ?? []).length;
