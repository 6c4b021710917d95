/**
 * Words of customer care that general lexicons miss or misjudge: a "delayed"
 * flight and a "refund" request are gripes, "thanks for the help" is praise.
 * Weights are on the AFINN scale (-5..5). English only; the other languages
 * use natural's vocabularies.
 */
export const CARE_WORDS: ReadonlyMap<string, number> = new Map([
  ['delayed', -2], ['delay', -2], ['delays', -2], ['cancelled', -2], ['canceled', -2], ['cancelledflightled', -2], ['cancellation', -2],
  ['refund', -1.5], ['rebook', -1], ['rebooked', -1], ['stuck', -2], ['stranded', -3], ['lost', -2], ['missing', -2], ['broken', -2],
  ['rude', -3], ['unacceptable', -3], ['ridiculous', -3], ['worst', -3], ['terrible', -3], ['horrible', -3], ['awful', -3], ['useless', -3],
  ['waiting', -1], ['waited', -1.5], ['hold', -1], ['hung', -1], ['disconnected', -2], ['overbooked', -2], ['diverted', -1.5], ['missed', -1.5],
  ['crashes', -2], ['crashing', -2], ['crashed', -2], ['outage', -2], ['down', -0.5], ['charged', -1], ['overcharged', -3], ['scam', -3],
  ['fail', -2], ['fails', -2], ['failed', -2], ['failure', -2], ['nightmare', -3], ['disappointed', -2], ['disappointing', -2], ['frustrated', -2], ['frustrating', -2],
  ['thanks', 2], ['thank', 2], ['thx', 2], ['ty', 1], ['appreciate', 2], ['appreciated', 2], ['helpful', 2], ['awesome', 3], ['amazing', 3], ['love', 3], ['loved', 3],
  ['great', 3], ['excellent', 3], ['best', 3], ['smooth', 2], ['kudos', 3], ['perfect', 3], ['fantastic', 3], ['wonderful', 3], ['friendly', 2],
]);

export const CARE_PHRASES: ReadonlyArray<readonly [RegExp, number]> = [
  [/\bon hold\b/, -2],
  [/\b(lost|missing|damaged) (my )?(bag|bags|luggage|suitcase)\b/, -3],
  [/\bno (one|body|response|answer|reply|help|update|updates|info)\b/, -2],
  [/\bstill (no|not|waiting)\b/, -2],
  [/\bnever again\b/, -3],
  [/\b(\d+|two|three|four|five) (hours|hrs|days)\b/, -1.5],
  [/\bcustomer (service|care)\b.*\b(sucks|terrible|worst|awful|joke)\b/, -2],
  [/\bwhat a joke\b/, -3],
  [/\bthank(s| you) (so much|a lot|again)\b/, 2],
  [/\bgreat (job|service|crew|flight)\b/, 2],
];

export const INTENSIFIERS: ReadonlyMap<string, number> = new Map([
  ['very', 1.4], ['so', 1.3], ['really', 1.3], ['extremely', 1.6], ['totally', 1.3], ['absolutely', 1.5], ['super', 1.4], ['incredibly', 1.5], ['most', 1.2],
  ['muy', 1.4], ['tan', 1.3], ['très', 1.4], ['sehr', 1.4], ['molto', 1.4], ['muito', 1.4], ['zeer', 1.4], ['slightly', 0.6], ['somewhat', 0.7], ['bit', 0.7],
]);

export const CONTRAST = new Set(['but', 'however', 'though', 'although', 'pero', 'mais', 'aber', 'ma', 'mas', 'maar', 'però']);

export const ENGLISH_NEGATIONS = new Set(["not", "no", "never", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt", "wasn't", "wasnt", "can't", "cant", "cannot", "won't", "wont", "couldn't", "couldnt", "nothing", "nobody", "without", "aren't", "arent", "haven't", "havent", "hasn't", "hasnt", "shouldn't", "wouldn't", "neither", "nor"]);

export const EMOJI_SCORES: ReadonlyMap<string, number> = new Map([
  ['😡', -3], ['🤬', -4], ['😠', -3], ['😤', -2], ['😞', -2], ['😢', -2], ['😭', -2], ['👎', -2], ['💩', -3], ['🙄', -2], ['😒', -2], ['😩', -2], ['😫', -2],
  ['😀', 2], ['😃', 2], ['😄', 2], ['😁', 2], ['😊', 2], ['😍', 3], ['🥰', 3], ['❤', 3], ['❤️', 3], ['👍', 2], ['🙏', 1], ['🎉', 2], ['👏', 2], ['💯', 2], ['😂', 1],
  [':)', 2], [':-)', 2], [':d', 2], ['=)', 2], ['<3', 3], [':(', -2], [':-(', -2], ['=(', -2], [':p', 1],
]);
