/**
 * Everyday French sentiment words, hand-written, on a -1..1 scale (1 is about
 * AFINN's 3): praise, gripes, customer-care words and social-media slang that
 * the translated lists miss or misjudge. Accent-free spellings are added at load.
 */
export const FRENCH: Readonly<Record<string, number>> = {
  merci: 0.7, bravo: 1, top: 0.7, génial: 1.2, géniale: 1.2, géniaux: 1.2, super: 1, excellent: 1.2, excellente: 1.2, parfait: 1, parfaite: 1,
  magnifique: 1.2, formidable: 1.2, sublime: 1.2, incroyable: 1, adore: 1, adoré: 1, kiffe: 1, kiffé: 1, chouette: 0.8,
  content: 0.8, contente: 0.8, ravi: 1, ravie: 1, heureux: 1, heureuse: 1, satisfait: 0.7, satisfaite: 0.7, efficace: 0.6, rapide: 0.4, sympa: 0.7,
  agréable: 0.8, aimable: 0.7, gentil: 0.7, gentille: 0.7, félicitations: 1, bienvenue: 0.5, réussi: 0.7, réussite: 0.7, bonheur: 1, plaisir: 0.8,
  mdr: 0.6, ptdr: 0.6, lol: 0.5, haha: 0.6, hâte: 0.7, vivement: 0.5, cool: 0.5, classe: 0.7, enfin: 0.2, bien: 0.5, bon: 0.5, bonne: 0.5, meilleur: 0.8,
  nul: -1, nulle: -1, nuls: -1, naze: -1, pourri: -1, pourrie: -1, merde: -1, merdique: -1.2, chiant: -0.8, chiante: -0.8, galère: -0.8, relou: -0.7,
  horrible: -1, affreux: -1, honteux: -1, honteuse: -1, honte: -0.8, scandale: -1, scandaleux: -1, inadmissible: -1, inacceptable: -1, lamentable: -1,
  pire: -1, déçu: -1, déçue: -1, déçus: -1, décevant: -1, décevante: -1, déception: -0.8, arnaque: -1, escroquerie: -1, voleurs: -1, ridicule: -0.8,
  marre: -0.8, énervé: -0.8, énervée: -0.8, furieux: -1, colère: -0.8, triste: -0.7, dommage: -0.5, hélas: -0.5, malheureusement: -0.5,
  inutile: -0.7, incompétent: -1, incompétents: -1, catastrophe: -1, catastrophique: -1.2, désastre: -1, bordel: -0.7, injuste: -0.8, peur: -0.5,
  retard: -0.6, retardé: -0.6, annulé: -0.7, annulée: -0.7, annulation: -0.6, attente: -0.3, remboursement: -0.3, panne: -0.7, bug: -0.6, bloqué: -0.6,
  bloquée: -0.6, perdu: -0.5, perdue: -0.5, cassé: -0.7, cassée: -0.7, lent: -0.5, lente: -0.5, cher: -0.3, problème: -0.6, problèmes: -0.6, impossible: -0.6,
};
