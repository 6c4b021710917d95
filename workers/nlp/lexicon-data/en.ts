/**
 * English words AFINN-165 lacks or misjudges in posts and reviews, on AFINN's
 * -5..5 scale. Hand-written: slang, common misspellings, product-review words,
 * and a few AFINN words whose everyday sense is neutral.
 */
export const ENGLISH_EXTRA: ReadonlyArray<readonly [string, number]> = [
  // Praise and delight, as people type it.
  ['awe', 3], ['awsome', 4], ['awesomeness', 4], ['awesomest', 4], ['gorgeous', 3], ['genius', 3], ['yay', 3], ['yaay', 3], ['yayy', 3], ['woot', 3], ['w00t', 3],
  ['fav', 2], ['fave', 2], ['favs', 2], ['faves', 2], ['bestie', 2], ['besties', 2], ['congratz', 2], ['grats', 2], ['stoked', 3], ['psyched', 3],
  ['blessed', 2], ['tasty', 2], ['ily', 3], ['luv', 3], ['lovin', 3], ['perf', 2], ['epic', 2], ['legend', 2], ['legendary', 3], ['goat', 0],
  ['steady', 1], ['rad', 2], ['unbeatable', 3], ['ideal', 2], ['razor-sharp', 2], ['outperforms', 2], ['handy', 1], ['intuitive', 2], ['crisp', 1], ['snappy', 1], ['seamlessly', 2], ['painless', 2], ['hassle-free', 2],
  ['favourites', 2], ['favorites', 2], ['groovy', 2], ['spotless', 2], ['sharp', 1],
  // Misspellings frequent enough to matter.
  ['awsum', 4], ['mind-blowing', 4], ['mindblowing', 4], ['embarassing', -2], ['embarrasing', -2], ['beautifull', 3], ['excelent', 3], ['definately', 0], 
  ['dissapointing', -2], ['disapointing', -2], ['nonexistant', -2],
  // Gripes: products, services and moods.
  ['crappy', -3], ['meh', -1], ['smh', -2], ['fml', -3], ['ugh', -2], ['ughh', -2], ['tedious', -2], ['stressful', -2], ['annoyed', -2],
  ['subpar', -2], ['mediocre', -2], ['shoddy', -2], ['buggy', -2], ['laggy', -2], ['overheats', -2], ['overheating', -2], ['malfunction', -2], ['malfunctioning', -2],
  ['unresponsive', -2], ['glitchy', -2], ['clunky', -2], ['ripoff', -3], ['rip-off', -3], ['unhelpful', -2], ['incompetence', -2], ['sucked', -3], ['sucky', -3],
  ['hassle', -2], ['rubbish', -3], ['livid', -2], ['gutted', -2],
  ['smelly', -2], ['filthy', -3], ['cramped', -2], ['noisy', -1], ['overcrowded', -2], ['understaffed', -2], ['scammed', -3],
  // wink's copy of AFINN keeps the last word of some phrases: "stand" (from "can't stand") and "work" (from "does not work") as if they were sentiment.
  ['stand', 0], ['work', 0],
  // AFINN words whose everyday sense in posts is neutral: a hotel "lobby", "save" money, "pretty" much.
  ['lobby', 0], ['gold', 0], ['yeah', 0], ['save', 0.5], ['pretty', 0.5],
];
