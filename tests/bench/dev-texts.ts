import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImportFile } from '../../connectors/files/index.js';
import type { RawMention } from '../../shared/raw-mention.js';

// Next to the repository (../shared/data); HARK_DEV_DATA points elsewhere (a git worktree one level deeper, say).
export const DATA_DIR = process.env.HARK_DEV_DATA ? path.resolve(process.env.HARK_DEV_DATA) : path.resolve(fileURLToPath(new URL('../../../shared/data', import.meta.url)));

const SOURCES: Array<{ file: string; map: Record<string, string> }> = [
  { file: 'airline-tweets.dev.csv', map: { id: 'tweet_id', text: 'text', author: 'author_pseudonym', created_at: 'tweet_created' } },
  { file: 'umsab-multilingual-tweets.dev.csv', map: { id: 'id', text: 'text', lang: 'lang' } },
  { file: 'brand-product-emotion-tweets.dev.csv', map: { id: 'source_row', text: 'text' } },
  { file: 'customer-support-twcs.sample.jsonl', map: { id: 'tweet_id', text: 'text', author: 'author_id', created_at: 'created_at_iso' } },
];

/** The real labelled posts in ../shared/data (read in place, never copied), or [] when absent. */
export async function loadDevMentions(): Promise<RawMention[]> {
  const out: RawMention[] = [];
  for (const s of SOURCES) {
    const file = path.join(DATA_DIR, s.file);
    if (!fs.existsSync(file)) continue;
    for await (const batch of readImportFile(fs.createReadStream(file), { platform: 'bench', map: s.map })) {
      for (const m of batch.mentions) out.push({ ...m, externalId: `${s.file}:${m.externalId}` });
    }
  }
  return out;
}
