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
  // Problems in plain words.
  ['issue', -1], ['issues', -1.5], ['bug', -1.5], ['bugs', -1.5], ['glitch', -1.5], ['error', -1.5], ['errors', -1.5], ['slow', -1.5], ['late', -1], ['expired', -1], ['wrong', -2],
  // Words of a request, not of praise, when someone writes to a brand: "customer care", "can you help", "please advise", "I want my money back".
  // What people call a product that failed them.
  ['trash', -3], ['junk', -3], ['garbage', -3], ['flimsy', -2], ['defective', -3], ['faulty', -2], ['flaw', -1.5], ['flaws', -1.5], ['headache', -2], ['headaches', -2],
  ['returned', -1], ['unusable', -3], ['unreliable', -2], ['overpriced', -2], ['cheaply', -1.5], ['wow', 1], ['beware', -2], ['nonexistent', -2], ['non-existent', -2],
  ['freezes', -1.5], ['freezing', -1], ['barely', -1], ['disapointed', -2], ['dissapointed', -2], ['dissapointment', -2], ['disapointment', -2],
  ['valuable', 2], ['nicest', 3], ['sleek', 2], ['stylish', 2], ['flawless', 3], ['flawlessly', 3], ['reliable', 2], ['sturdy', 2],
  // Nouns and fillers general lexicons score as praise: "poor quality", "kind of", "working on it".
  ['quality', 0], ['kind', 1], ['true', 1], ['works', 1.5], ['working', 0.5],
  ['help', 0], ['please', 0], ['pls', 0], ['plz', 0], ['want', 0], ['wish', 0.5], ['hope', 1], ['care', 0], ['support', 0], ['like', 1], ['free', 0.5], ['share', 0], ['join', 0],
]);

export const CARE_PHRASES: ReadonlyArray<readonly [RegExp, number]> = [
  [/\bon hold\b/, -2],
  [/\b(lost|missing|damaged|lose|losing) (my |our |his |her |their |the |a )?(bag|bags|luggage|suitcase)\b/, -3],
  [/\bno (one|body|response|answer|reply|help|update|updates|info|picture|sound|signal|power|way to|contact)\b/, -2],
  [/\bstill (no|not|waiting)\b/, -2],
  [/\bnever again\b/, -3],
  [/\b(\d+|two|three|four|five) (hours|hrs|days)\b/, -1.5],
  [/\bcustomer (service|care)\b.*\b(sucks|terrible|worst|awful|joke)\b/, -2],
  [/\bwhat a joke\b/, -3],
  [/\bthank(s| you) (so much|a lot|again)\b/, 2],
  // Something that does not work, said without a sentiment word: "can't check in", "the page won't load".
  [/\b(can ?not|can'?t|cant|couldn'?t|won'?t|wont|unable to|not able to)( even)? (book|find|get|check|log|load|access|reach|open|see|use|connect|call|hear|change|cancel|sign|login|pay|print|board|select|add|complete)\b/, -1.5],
  [/\b(doesn'?t|does not|don'?t|do not|isn'?t|is not|not|won'?t|wont|will not|didn'?t|did not|never|could not|couldn'?t|can'?t|cannot) (even )?(work|worked|working|function|load|loading|let me|exist|arrive|show|play|read|respond|answer|recognize|charge|connect|start|turn on|power on|sync|install|update|open)\b/, -2],
  [/\b(never|still (haven'?t|have not|not)|haven'?t|have not|hasn'?t|didn'?t) (got|gotten|get|received|receive|heard|hear|been (refunded|contacted|called))\b/, -2],
  [/\b(\d+|an|one|two|three|four|five|45|30) (minutes|mins|min)\b/, -1],
  [/\bthanks? for (nothing|the lack|not)\b/, -5],
  // Sarcastic thanks: "thanks for ruining my trip", "thx 4 losing my bag".
  [/\b(thanks?|thx|thank you) (4|for) (making|ruining|wasting|losing|leaving|cancell?ing|delaying|stranding|ignoring|charging|breaking|screwing)\b/, -5],
  [/\b(get|got) a clue\b/, -2],
  // Idioms where a negation praises or a praise word damns.
  [/\b(can ?not|can'?t|couldn'?t|could not) (say|write|praise|recommend|thank|rave)\b[^.!?]{0,40}\benough\b/, 6],
  [/\b(couldn'?t|could not|can'?t) be (any )?(happier|easier|better|more pleased|more satisfied)\b/, 6],
  [/\b(don'?t|doesn'?t|do not) get (any )?better\b/, 5],
  [/\bno complaints\b/, 3],
  [/\b(don'?t|do not|never|wouldn'?t|would not) (buy|purchase|order|waste|recommend)\b/, -3],
  [/\bnever\b[^.!?]{0,30}\bagain\b/, -2],
  [/\b(is|was|what) a (joke|scam)\b/, -5],
  [/\bwaste of (money|time)\b/, -3],
  [/\bpiece of (junk|crap|garbage|sh|trash)/, -4],
  [/\b(stopped|quit|stops) working\b/, -3],
  [/\b(send|sent|sending|take|took|taking) (it|them|mine|this|the \w+) back\b/, -2],
  [/#sarcasm\b/, -3],
  [/\bgreat (job|service|crew|flight)\b/, 2],
  // Review verdicts said without a sentiment word.
  [/\b(0|zero|1|one|no|half a) stars?\b/, -3],
  [/\b(4|5|four|five) stars\b/, 3],
  [/\b(stay|steer) (away|clear)\b/, -3],
  [/\bmore trouble than\b/, -3],
  [/\byou get what you pay for\b/, -2],
  [/\b(only|barely) lasted\b/, -2],
  [/\b(returning|return|returned) (it|this|them)\b/, -2],
  [/\b(value for (the )?money|bang for (the|your) buck|worth every (penny|cent))\b/, 3],
  [/\bwell spent\b/, 2],
  [/\b(broke|breaks|break|died|dies|crapped out|quit|stopped working|went out)\b[^.!?]{0,12}\b(after|within) (a|one|two|three|\d+|only|just)\b/, -2],
  [/\bthumbs? down\b/, -3],
  [/\bthumbs? up\b/, 2],
  [/\bbait and switch\b/, -3],
  [/\b(can'?t|cannot|can not) stand\b/, -3],
  [/\bwithout (a|any) (reply|response|answer|refund)\b/, -2],
  [/\b(was|were|is|are) supposed to\b/, -1],
  [/\b(not|never|won'?t) let (you|me|us) down\b/, 4],
  [/\blet (me|us) down\b/, -2],
  [/\brecommend against\b/, -3],
  [/\babove and beyond\b/, 3],
  // Looking ahead with pleasure: "can't wait" negates nothing.
  [/\b(can'?t|cannot|can not) wait\b/, 3],
  [/\blooking forward\b/, 2],
];

export const INTENSIFIERS: ReadonlyMap<string, number> = new Map([
  ['very', 1.4], ['so', 1.3], ['really', 1.3], ['extremely', 1.6], ['totally', 1.3], ['absolutely', 1.5], ['super', 1.4], ['incredibly', 1.5], ['most', 1.2],
  ['muy', 1.4], ['tan', 1.3], ['très', 1.4], ['sehr', 1.4], ['molto', 1.4], ['muito', 1.4], ['zeer', 1.4], ['slightly', 0.6], ['somewhat', 0.7], ['bit', 0.7],
  // Adverbs that only scale the next word: "insanely great" is praise, not madness.
  ['insanely', 1.5], ['ridiculously', 1.5], ['seriously', 1.3], ['freaking', 1.4], ['frickin', 1.4], ['truly', 1.3], ['highly', 1.4], ['utterly', 1.5],
  ['completely', 1.4], ['especially', 1.3], ['exceptionally', 1.5], ['remarkably', 1.4], ['particularly', 1.2], ['hella', 1.4], ['deeply', 1.4], ['quite', 1.1],
  ['fairly', 0.8], ['rather', 0.8], ['kinda', 0.7], ['sorta', 0.7],
  ['vraiment', 1.3], ['trop', 1.3], ['tellement', 1.3], ['wirklich', 1.3], ['echt', 1.3], ['total', 1.3], ['richtig', 1.2], ['ziemlich', 0.8],
  ['realmente', 1.3], ['demasiado', 1.3], ['bastante', 1.1], ['davvero', 1.3], ['troppo', 1.3], ['proprio', 1.2], ['bem', 1.2],
]);

export const CONTRAST = new Set(['but', 'however', 'though', 'although', 'pero', 'mais', 'aber', 'ma', 'mas', 'maar', 'però']);

export const ENGLISH_NEGATIONS = new Set(["not", "no", "never", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt", "wasn't", "wasnt", "can't", "cant", "cannot", "won't", "wont", "couldn't", "couldnt", "nothing", "nobody", "without", "aren't", "arent", "haven't", "havent", "hasn't", "hasnt", "shouldn't", "wouldn't", "neither", "nor", "none", "ain't", "aint", "hardly", "weren't", "werent", "shouldnt", "wouldnt"]);

export const EMOJI_SCORES: ReadonlyMap<string, number> = new Map([
  ['😡', -3], ['🤬', -4], ['😠', -3], ['😤', -2], ['😞', -2], ['😢', -2], ['😭', -2], ['👎', -2], ['💩', -3], ['🙄', -2], ['😒', -2], ['😩', -2], ['😫', -2],
  ['😀', 2], ['😃', 2], ['😄', 2], ['😁', 2], ['😊', 2], ['😍', 3], ['🥰', 3], ['❤', 3], ['❤️', 3], ['👍', 2], ['🙏', 1], ['🎉', 2], ['👏', 2], ['💯', 2], ['😂', 1],
  [':)', 2], [':-)', 2], [':d', 2], ['=)', 2], ['<3', 3], [':(', -2], [':-(', -2], ['=(', -2], [':p', 1],
]);
