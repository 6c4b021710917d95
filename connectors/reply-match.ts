/**
 * Whether a post read back from a network is the reply Hark meant to post.
 * Networks give text back changed: X escapes &, < and >, shortens links to
 * t.co and may put the @handles of the thread in front; Reddit trims.
 */
export function sameReplyText(posted: string, intended: string): boolean {
  return normalize(posted) === normalize(intended);
}

function normalize(s: string): string {
  return s
    .normalize('NFC')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/^(?:@\w{1,15}\s+)+/, '')
    .replace(/https?:\/\/\S+/g, 'URL')
    .replace(/\s+/g, ' ')
    .trim();
}
