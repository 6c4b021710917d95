/** Words that mean legal, safety or security trouble: such a post goes to a human now. */
const RISKS: ReadonlyArray<readonly [string, RegExp]> = [
  ['legal', /\b(lawsuit|sue|suing|sued|lawyer|attorney|legal action|class action|small claims|abogad[oa]|demanda|avocat|anwalt|klage|avvocato|advogad[oa]|processo)\b/i],
  ['safety', /\b(injur(ed|y|ies)|hospital|ambulance|fire|smoke|burn(ed|t)|food poisoning|allerg(y|ic)|unsafe|dangerous|emergency|exploded|herid[oa]|bless(é|e)|verletzt|ferit[oa])\b/i],
  ['security', /\b(data breach|breach|hacked|hack|stolen (card|identity|data)|fraud|phishing|leaked|identity theft|fraude|betrug|truffa)\b/i],
  ['discrimination', /\b(discriminat\w*|racis[mt]|sexis[mt]|harass\w*)\b/i],
  ['press', /\b(journalist|reporter|news (story|outlet)|going viral|press release)\b/i],
];

export function detectRisks(text: string): string[] {
  const out: string[] = [];
  for (const [name, re] of RISKS) if (re.test(text)) out.push(name);
  return out;
}
