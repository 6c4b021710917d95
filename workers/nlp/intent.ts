import type { IntentScore, SentimentScore } from '../../shared/mention.js';
import { countHashtags, countLinks } from './text.js';

type Rule = readonly [cue: string, re: RegExp];
const r = (cue: string, src: string): Rule => [cue, new RegExp(src, 'i')];

const SPAM: Rule[] = [
  r('giveaway', '\\b(giveaway|free (iphone|gift|money|followers)|win a|you (have )?won|claim your (prize|reward))\\b'),
  r('crypto', '\\b(crypto|bitcoin|btc|nft|airdrop|forex|100x)\\b'),
  r('click here', '\\b(click (here|the link|link in bio)|dm (me|for)|follow (me|back)|check my (bio|profile)|promo code|earn \\$?\\d+)\\b'),
];
const LEAD: Rule[] = [
  r('looking for', '\\b(looking for|in the market for|shopping for|need a new)\\b'),
  r('should I buy', '\\b(should i (buy|get|switch|upgrade)|thinking (of|about) (buying|getting|switching)|planning to (buy|get|switch)|want to (buy|order|upgrade|sign up))\\b'),
  r('recommend', '\\b(recommend|recommendations?|any suggestions|which (one|plan|model) (is|should))\\b'),
  r('pricing', '\\b(how much (is|does|for)|price of|pricing|quote for|discount|deal on|do you (ship|deliver) to)\\b'),
  r('switching', '\\b(switch(ing)? (to|from)|moving to|cancel(ling)? my .* for)\\b'),
  r('compra', '\\b(quiero comprar|busco|vale la pena|je cherche|ich suche|vorrei comprare|quero comprar)\\b'),
];
const QUESTION: Rule[] = [
  r('how do I', "\\b(how (do|can|should) i|how to|is there a way|can (you|i|someone)|could (you|someone)|anyone know|does anyone|what('s| is) the|when (will|does|is)|where (can|is|do)|why (is|does|can't|won't))\\b"),
  r('help', '\\b(please help|need help|help me|help!|any update)\\b'),
  r('pregunta', '\\b(cómo|cuándo|dónde|por qué|comment|quand|pourquoi|wie|wann|warum|come posso|quando|como)\\b'),
];
const COMPLAINT: Rule[] = [
  r('refund', '\\b(refund|money back|charged twice|overcharged|reembolso|remboursement|rückerstattung|rimborso)\\b'),
  r('delayed', '\\b(delay(ed)?|late|cancell?ed|stuck|stranded|missed (my )?connection|on hold|retraso|retard|verspätung|ritardo|atraso)\\b'),
  r('broken', "\\b(broken|not working|doesn't work|won't (load|work|open)|crash(es|ed|ing)?|down again|outage|error|bug|glitch|no funciona|ne marche|funktioniert nicht|non funziona|não funciona)\\b"),
  r('lost', '\\b(lost|missing|damaged|never (arrived|received|came))\\b'),
  r('service', "\\b(worst|terrible|horrible|awful|rude|unacceptable|ridiculous|disappointed|never again|fed up|nobody (answers|responds|helps)|no one (answers|responds|helps)|still waiting)\\b"),
];
const PRAISE: Rule[] = [
  r('thanks', '\\b(thank(s| you)|thx|appreciate|gracias|merci|danke|grazie|obrigad[oa])\\b'),
  r('love', '\\b(love|loving|amazing|awesome|great|excellent|best|fantastic|kudos|shout ?out|well done|encanta|génial|super|toll|fantastico|adoro)\\b'),
];

const first = (rules: Rule[], text: string): string | null => {
  for (const [cue, re] of rules) if (re.test(text)) return cue;
  return null;
};

/**
 * Rules first, sentiment as the tie-breaker: spam signals win, then purchase
 * intent, then a question (a "?" or a question phrase), then complaint or
 * praise (which need the sentiment to agree, or a strong cue).
 */
export function scoreIntent(text: string, sentiment: SentimentScore): IntentScore {
  const links = countLinks(text);
  const tags = countHashtags(text);
  const spam = first(SPAM, text);
  if (spam || (links >= 2 && tags >= 4)) return { label: 'spam', confidence: spam ? 0.85 : 0.6, cues: [spam ?? 'links and hashtags'] };
  const lead = first(LEAD, text);
  if (lead) return { label: 'lead', confidence: 0.7, cues: [lead] };
  const complaint = first(COMPLAINT, text);
  const asks = text.includes('?');
  const question = first(QUESTION, text) ?? (asks ? '?' : null);
  if (complaint && sentiment.label === 'negative') return { label: 'complaint', confidence: 0.8, cues: [complaint] };
  if (question) return { label: 'question', confidence: asks ? 0.75 : 0.55, cues: [question] };
  if (complaint && sentiment.label !== 'positive') return { label: 'complaint', confidence: 0.55, cues: [complaint] };
  if (sentiment.label === 'negative') return { label: 'complaint', confidence: sentiment.score <= -0.45 ? 0.5 : 0.4, cues: ['negative tone'] };
  const praise = first(PRAISE, text);
  if (praise) return { label: 'praise', confidence: sentiment.label === 'positive' ? 0.8 : 0.55, cues: [praise] };
  return { label: 'other', confidence: 0.4, cues: [] };
}
