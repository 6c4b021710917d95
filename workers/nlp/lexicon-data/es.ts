/**
 * Everyday Spanish sentiment words, hand-written, on a -1..1 scale (1 is about
 * AFINN's 3): praise, gripes, customer-care words and social-media slang that
 * the translated lists miss or misjudge. Accent-free spellings are added at load.
 */
export const SPANISH: Readonly<Record<string, number>> = {
  gracias: 0.7, genial: 1, geniales: 1, excelente: 1.2, perfecto: 1, perfecta: 1, increíble: 1, maravilloso: 1.2, maravillosa: 1.2, fantástico: 1.2,
  encanta: 1, encantó: 1, encantan: 1, encantado: 1, encantada: 1, amo: 1, adoro: 1, buenísimo: 1.2, buenísima: 1.2, bueno: 0.5, buena: 0.5, buen: 0.5,
  mejor: 0.7, feliz: 1, felices: 1, contento: 0.8, contenta: 0.8, bravo: 1, felicidades: 1, enhorabuena: 1, guay: 0.8, chido: 0.8, chévere: 0.8, bonito: 0.8,
  bonita: 0.8, precioso: 1, preciosa: 1, hermoso: 1, hermosa: 1, jaja: 0.6, jajaja: 0.6, jajajaja: 0.6, jeje: 0.5, lol: 0.5, top: 0.7, crack: 0.7, éxito: 0.8,
  orgullo: 0.7, orgulloso: 0.7, ganas: 0.4, amable: 0.7, rápido: 0.4, recomiendo: 0.8, gusta: 0.6, gustó: 0.6,
  pésimo: -1.2, pésima: -1.2, malo: -0.8, mala: -0.8, mal: -0.6, peor: -1, horrible: -1, terrible: -1, fatal: -1, asco: -1, asqueroso: -1, mierda: -1,
  vergüenza: -0.8, vergonzoso: -1, lamentable: -1, inaceptable: -1, indignante: -1, indignado: -1, indignada: -1, estafa: -1, estafadores: -1, ladrones: -1,
  decepcionado: -1, decepcionada: -1, decepción: -0.8, harto: -0.8, harta: -0.8, hartos: -0.8, enfadado: -0.8, cabreado: -0.8, triste: -0.7, odio: -1,
  inútil: -0.8, inútiles: -0.8, incompetentes: -1, desastre: -1, caos: -0.7, ridículo: -0.8, lástima: -0.5, pena: -0.5, desgraciadamente: -0.5,
  retraso: -0.6, retrasado: -0.6, cancelado: -0.6, cancelada: -0.6, cancelación: -0.5, espera: -0.2, esperando: -0.3, reembolso: -0.3, perdido: -0.5,
  perdida: -0.5, roto: -0.7, rota: -0.7, lento: -0.5, problema: -0.6, problemas: -0.6, error: -0.5, falla: -0.6, averiado: -0.7, imposible: -0.6,
};
