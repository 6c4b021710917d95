/**
 * Everyday Italian sentiment words, hand-written, on a -1..1 scale (1 is about
 * AFINN's 3): praise, gripes, customer-care words and social-media slang that
 * the translated lists miss or misjudge. Accent-free spellings are added at load.
 */
export const ITALIAN: Readonly<Record<string, number>> = {
  grazie: 0.7, bravo: 1, brava: 1, bravi: 1, complimenti: 1, ottimo: 1, ottima: 1, eccellente: 1.2, perfetto: 1, perfetta: 1, fantastico: 1.2,
  fantastica: 1.2, stupendo: 1.2, stupenda: 1.2, meraviglioso: 1.2, meravigliosa: 1.2, bellissimo: 1.2, bellissima: 1.2, bello: 0.8, bella: 0.8,
  incredibile: 0.8, adoro: 1, amo: 1, felice: 1, felici: 1, contento: 0.8, contenta: 0.8, soddisfatto: 0.8, soddisfatta: 0.8, buono: 0.5, buona: 0.5,
  migliore: 0.7, auguri: 0.8, evviva: 1, grande: 0.5, grandi: 0.5, top: 0.7, figo: 0.8, forte: 0.4, ahah: 0.6, ahahah: 0.6, haha: 0.6, lol: 0.5,
  gentile: 0.7, gentilissimi: 1, consiglio: 0.4, veloce: 0.4, piacere: 0.6, finalmente: 0.4, successo: 0.8, orgoglio: 0.7,
  pessimo: -1.2, pessima: -1.2, schifo: -1, schifoso: -1, merda: -1, peggio: -1, peggiore: -1, orribile: -1, terribile: -1, vergogna: -1,
  vergognoso: -1, ridicolo: -0.8, ridicoli: -0.8, scandalo: -1, scandaloso: -1, inaccettabile: -1, inammissibile: -1, vergognatevi: -1.2, truffa: -1,
  ladri: -1, deluso: -1, delusa: -1, delusione: -0.8, schifezza: -1, incazzato: -1, arrabbiato: -0.8, arrabbiata: -0.8, triste: -0.7, purtroppo: -0.5,
  peccato: -0.5, odio: -1, inutile: -0.8, inutili: -0.8, incompetenti: -1, disastro: -1, vergognosi: -1, pazzesco: -0.3, basta: -0.5, squallido: -1,
  ritardo: -0.6, ritardi: -0.6, cancellato: -0.6, cancellata: -0.6, soppresso: -0.6, attesa: -0.2, rimborso: -0.3, perso: -0.5, persa: -0.5, rotto: -0.7,
  rotta: -0.7, lento: -0.5, problema: -0.6, problemi: -0.6, errore: -0.5, guasto: -0.7, disservizio: -1, impossibile: -0.6,
};
