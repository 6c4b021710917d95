/**
 * Everyday Portuguese sentiment words (Brazil and Portugal), hand-written, on a
 * -1..1 scale (1 is about AFINN's 3): praise, gripes, customer-care words and
 * social-media slang that the translated lists miss or misjudge. Accent-free
 * spellings are added at load.
 */
export const PORTUGUESE: Readonly<Record<string, number>> = {
  obrigado: 0.7, obrigada: 0.7, obg: 0.6, valeu: 0.7, ótimo: 1, ótima: 1, excelente: 1.2, perfeito: 1, perfeita: 1, incrível: 1, maravilhoso: 1.2,
  maravilhosa: 1.2, lindo: 1, linda: 1, lindos: 1, lindas: 1, amo: 1, amei: 1, adoro: 1, adorei: 1, gostei: 0.7, gosto: 0.5, bom: 0.5, boa: 0.5, bons: 0.5,
  melhor: 0.7, feliz: 1, felizes: 1, contente: 0.8, parabéns: 1, sucesso: 0.8, top: 0.7, show: 0.7, demais: 0.5, massa: 0.6, legal: 0.7, bacana: 0.7,
  kkk: 0.6, kkkk: 0.6, kkkkk: 0.6, haha: 0.6, hahaha: 0.6, rs: 0.4, rsrs: 0.5, lol: 0.5, recomendo: 0.8, rápido: 0.4, orgulho: 0.7, saudade: -0.2,
  péssimo: -1.2, péssima: -1.2, ruim: -0.8, mau: -0.8, má: -0.8, pior: -1, horrível: -1, terrível: -1, lixo: -1, merda: -1, porcaria: -1, nojo: -1,
  nojento: -1, vergonha: -0.8, vergonhoso: -1, lamentável: -1, inaceitável: -1, absurdo: -1, ridículo: -0.8, decepcionado: -1, decepcionada: -1,
  decepção: -0.8, raiva: -0.8, ódio: -1, odeio: -1, triste: -0.7, chato: -0.7, chata: -0.7, cansado: -0.5, cansada: -0.5, infelizmente: -0.5, pena: -0.4,
  golpe: -0.8, roubo: -1, ladrões: -1, inútil: -0.8, incompetente: -1, incompetentes: -1, desastre: -1, caos: -0.7, descaso: -1, palhaçada: -1,
  atraso: -0.6, atrasado: -0.6, atrasada: -0.6, cancelado: -0.6, cancelada: -0.6, cancelamento: -0.5, espera: -0.2, esperando: -0.3, reembolso: -0.3,
  perdido: -0.5, perdida: -0.5, quebrado: -0.7, quebrada: -0.7, lento: -0.5, problema: -0.6, problemas: -0.6, erro: -0.5, falha: -0.6, impossível: -0.6,
};
