/**
 * Everyday German sentiment words, hand-written, on a -1..1 scale (1 is about
 * AFINN's 3): praise, gripes, customer-care words and social-media slang that
 * the translated lists miss or misjudge. Umlaut-free spellings are added at load.
 */
export const GERMAN: Readonly<Record<string, number>> = {
  danke: 0.7, dankeschön: 0.8, toll: 1, tolle: 1, toller: 1, super: 1, klasse: 1, prima: 1, spitze: 1, genial: 1.2, geil: 0.8, mega: 0.7,
  wunderbar: 1.2, wunderschön: 1.2, schön: 0.8, schöne: 0.8, perfekt: 1, großartig: 1.2, hervorragend: 1.2, ausgezeichnet: 1.2, fantastisch: 1.2, cool: 0.5,
  liebe: 0.8, lieben: 0.8, freue: 0.8, freuen: 0.8, freude: 0.8, glücklich: 1, froh: 0.8, zufrieden: 0.8, empfehlen: 0.7, empfehlenswert: 1, lecker: 0.8,
  freundlich: 0.7, hilfreich: 0.7, schnell: 0.4, gut: 0.6, gute: 0.6, guter: 0.6, gutes: 0.6, besser: 0.5, beste: 1, bester: 1, yeah: 0.5, juhu: 1, endlich: 0.3,
  haha: 0.6, hahaha: 0.6, lol: 0.5, glückwunsch: 1, gratuliere: 1, herzlichen: 0.6, bravo: 1,
  schlecht: -0.8, schlechte: -0.8, schlechter: -0.8, schlechteste: -1.2, mies: -1, miese: -1, scheiße: -1, scheisse: -1, scheiß: -1, mist: -0.8, kacke: -1,
  schrecklich: -1, furchtbar: -1, grauenhaft: -1.2, katastrophe: -1, katastrophal: -1.2, enttäuscht: -1, enttäuschend: -1, enttäuschung: -0.8,
  frechheit: -1, unverschämt: -1, unverschämtheit: -1, skandal: -1, peinlich: -0.8, lächerlich: -0.8, ärgerlich: -0.8, nervig: -0.8, nervt: -0.8,
  sauer: -0.7, wütend: -1, traurig: -0.7, leider: -0.5, schade: -0.5, hasse: -1, hass: -1, abzocke: -1, betrug: -1, inkompetent: -1, unfreundlich: -0.8,
  verspätung: -0.6, verspätet: -0.6, ausgefallen: -0.6, gestrichen: -0.6, storniert: -0.4, warten: -0.3, warteschleife: -0.7, erstattung: -0.3,
  kaputt: -0.8, defekt: -0.8, langsam: -0.4, problem: -0.6, probleme: -0.6, störung: -0.7, fehler: -0.6, unmöglich: -0.6, sorry: -0.2,
};
