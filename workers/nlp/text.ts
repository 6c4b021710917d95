const URL_RE = /https?:\/\/\S+|www\.\S+/gi;
const HANDLE_RE = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_]{1,30}/gu;

/** Text without links and @handles: what language detection and lexicons should read. */
export function stripNoise(text: string): string {
  // "#NeverAgain" reads as "Never Again".
  return text.replace(URL_RE, ' ').replace(HANDLE_RE, '$1 ').replace(/#([\p{L}\p{N}_]+)/gu, (_, tag: string) => ` ${tag.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')}`);
}

const TOKEN_RE = /[\p{L}\p{N}'’_-]+|[!?]+|\p{Extended_Pictographic}|[:;=]-?[()DPp]|<3/gu;

/** Lower-cased word, punctuation-run, emoji and emoticon tokens. */
export function tokenize(text: string): string[] {
  return stripNoise(text).toLowerCase().match(TOKEN_RE) ?? [];
}

export const countLinks = (text: string) => (text.match(URL_RE) ?? []).length;
export const countHashtags = (text: string) => (text.match(/#[\p{L}\p{N}_]+/gu) ?? []).length;
