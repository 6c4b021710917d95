import type { Intent } from '../../shared/mention.js';

/**
 * What each demo brand is in the business of, so the simulator never has a
 * bank's customer complain about lost bags. Templates use slots: {brand},
 * {n}, {city} and the business's own ({product}, {issue}, {feature},
 * {competitor}). Every language a business uses is one the pipeline scores
 * (workers/nlp/lexicons.ts).
 */
export type Business = 'airline' | 'mobile' | 'bank' | 'retail';

export interface Template {
  lang: string;
  kind: Intent | 'neutral' | 'risk';
  text: string;
}

export interface Scene {
  /** Outage posts: many people saying the same thing at once. */
  outage: { issue: string; texts: string[] };
  /** A complaint from a verified account with a large following. */
  vipComplaint: string;
  /** A question that is a sales lead. */
  lead: string;
  /** Praise that spreads (a good moment, retold by many). */
  praise: string[];
}

export interface BusinessProfile {
  business: Business;
  languages: string[];
  slots: { product: string[]; issue: string[]; feature: string[] };
  templates: Template[];
  scenes: Scene;
}

const CITIES = ['Lisbon', 'Madrid', 'Chicago', 'Berlin', 'Lyon', 'Milan', 'São Paulo', 'Denver', 'Austin', 'Toronto'];
export const citySlot = CITIES;

const AIRLINE: BusinessProfile = {
  business: 'airline',
  languages: ['en', 'es', 'pt', 'fr', 'it'],
  slots: {
    product: ['booking', 'ticket', 'seat upgrade', 'checked bag', 'return flight', 'refund'],
    issue: ['delayed', 'cancelled', 'overbooked', 'stuck at the gate', 'diverted'],
    feature: ['online check-in', 'seat selection', 'the boarding pass', 'the miles wallet', 'mobile check-in'],
  },
  templates: [
    { lang: 'en', kind: 'complaint', text: 'Flight to {city} {issue} for {n} hours and {brand} staff are rude about it. Unacceptable.' },
    { lang: 'en', kind: 'complaint', text: 'Lost my bag on the {brand} flight from {city}. Nobody knows where it is, worst service ever.' },
    { lang: 'en', kind: 'complaint', text: 'Been on hold with {brand} for {n} minutes. Still no refund for my cancelled flight.' },
    { lang: 'en', kind: 'complaint', text: '{brand} charged me twice for the same {product}. Fix it please, this is terrible.' },
    { lang: 'en', kind: 'complaint', text: 'The {brand} app keeps crashing on {feature}. So frustrating, missed my slot.' },
    { lang: 'es', kind: 'complaint', text: '{brand} llevo {n} días esperando el reembolso de mi vuelo cancelado. Qué mal servicio.' },
    { lang: 'es', kind: 'complaint', text: '{brand} perdieron mi maleta en el vuelo de {city}, nadie responde. Pésimo.' },
    { lang: 'pt', kind: 'complaint', text: 'Voo da {brand} para {city} atrasado {n} horas. Péssimo atendimento.' },
    { lang: 'pt', kind: 'complaint', text: 'A {brand} perdeu a minha mala e ninguém responde. Horrível.' },
    { lang: 'fr', kind: 'complaint', text: '{brand} mon vol pour {city} est annulé et le service client est horrible.' },
    { lang: 'fr', kind: 'complaint', text: '{brand} toujours pas de nouvelles de ma valise perdue, service nul.' },
    { lang: 'it', kind: 'complaint', text: '{brand} il volo per {city} è in ritardo di {n} ore, servizio pessimo.' },
    { lang: 'it', kind: 'complaint', text: '{brand} hanno perso il mio bagaglio, nessuno risponde. Vergognoso.' },
    { lang: 'en', kind: 'question', text: 'How do I add a checked bag to my {brand} booking?' },
    { lang: 'en', kind: 'question', text: '@{brand} can I change my flight to {city} without a fee? Can anyone help?' },
    { lang: 'en', kind: 'question', text: 'Does {brand} let you pick seats with {feature}? How does it work?' },
    { lang: 'es', kind: 'question', text: '¿Alguien sabe cómo cambiar un vuelo de {brand} a {city}?' },
    { lang: 'pt', kind: 'question', text: 'Como faço para despachar mais uma mala na {brand}?' },
    { lang: 'fr', kind: 'question', text: '{brand} comment je peux modifier ma réservation pour {city} ?' },
    { lang: 'it', kind: 'question', text: '{brand} come posso cambiare il mio volo per {city}?' },
    { lang: 'en', kind: 'praise', text: 'Smooth flight to {city} with {brand} today, friendly crew. Kudos!' },
    { lang: 'en', kind: 'praise', text: 'Huge thanks to the {brand} gate team, they found my bag in ten minutes. Great service!' },
    { lang: 'es', kind: 'praise', text: 'Gracias {brand}, vuelo puntual a {city} y tripulación excelente.' },
    { lang: 'pt', kind: 'praise', text: 'Obrigado {brand}, voo tranquilo para {city}! Excelente.' },
    { lang: 'fr', kind: 'praise', text: 'Merci {brand}, vol parfait vers {city}, équipage génial !' },
    { lang: 'it', kind: 'praise', text: 'Grazie {brand}, servizio fantastico sul volo per {city}!' },
    { lang: 'en', kind: 'lead', text: 'Thinking about switching to {brand} from {competitor} for work trips. Is the lounge worth it?' },
    { lang: 'en', kind: 'lead', text: 'Looking for flights to {city}, should I buy {brand} or {competitor}? Recommendations?' },
    { lang: 'es', kind: 'lead', text: 'Quiero comprar billetes de {brand} para {city}, ¿vale la pena?' },
    { lang: 'en', kind: 'spam', text: '🎁 {brand} GIVEAWAY! Win free flights, click here http://win.example/{n} #free #win #giveaway #travel' },
    { lang: 'en', kind: 'neutral', text: 'At the {brand} desk in {city} checking in for my flight.' },
    { lang: 'en', kind: 'neutral', text: '{brand} announced new routes to {city} today.' },
    { lang: 'fr', kind: 'neutral', text: 'En route vers {city} avec {brand} ce matin.' },
    { lang: 'en', kind: 'risk', text: 'Got food poisoning after the {brand} meal on the flight to {city}. Ended up in hospital, talking to my lawyer.' },
  ],
  scenes: {
    outage: {
      issue: 'check-in down',
      texts: ['{brand} online check-in down?? Cannot get my boarding pass at all', 'Is {brand} check-in down? App not working for anyone at {city} airport', '{brand} check-in down again, huge queue at {city}'],
    },
    vipComplaint: '{brand} stranded my whole crew in {city} overnight with no hotel and no answers. Disgraceful way to treat customers.',
    lead: 'Planning a family trip of four to {city} next month. How much is {brand} business class and can we pay in instalments?',
    praise: ['{brand} crew just delivered a birthday cake at 30,000 feet. Best airline ever!', 'Loved the {brand} crew today, they made the flight to {city} wonderful. Thank you!'],
  },
};

const MOBILE: BusinessProfile = {
  business: 'mobile',
  languages: ['en', 'de', 'fr', 'nl'],
  slots: {
    product: ['phone plan', 'SIM card', 'roaming pack', 'bill', 'data plan', 'eSIM'],
    issue: ['no signal', 'dropping calls', 'stuck on 3G', 'offline', 'really slow'],
    feature: ['Wi-Fi calling', '5G', 'the eSIM transfer', 'the usage tracker', 'roaming'],
  },
  templates: [
    { lang: 'en', kind: 'complaint', text: '{brand} my phone has had {issue} in {city} for {n} days and nobody answers. Unacceptable.' },
    { lang: 'en', kind: 'complaint', text: 'Hey {brand}, my bill is {n} euros higher this month for no reason. Fix it please, terrible.' },
    { lang: 'en', kind: 'complaint', text: 'Worst coverage ever with {brand}. {issue} again at home, never again.' },
    { lang: 'en', kind: 'complaint', text: 'The {brand} app keeps crashing when I open {feature}. So frustrating.' },
    { lang: 'de', kind: 'complaint', text: '{brand} seit {n} Tagen kein Netz in {city}, keine Antwort. Schlecht.' },
    { lang: 'de', kind: 'complaint', text: '{brand} meine Rechnung ist falsch und der Kundenservice ist schrecklich.' },
    { lang: 'fr', kind: 'complaint', text: '{brand} toujours pas de réseau à {city}, service client horrible.' },
    { lang: 'fr', kind: 'complaint', text: '{brand} ma facture a doublé ce mois-ci, c’est nul.' },
    { lang: 'nl', kind: 'complaint', text: '{brand} al {n} dagen geen bereik in {city}, slechte service.' },
    { lang: 'en', kind: 'question', text: 'How do I move my number to a new SIM with {brand}?' },
    { lang: 'en', kind: 'question', text: '@{brand} does my plan include {feature}? Can anyone help?' },
    { lang: 'de', kind: 'question', text: '{brand} wie kann ich mein Roaming für {city} aktivieren?' },
    { lang: 'fr', kind: 'question', text: '{brand} comment je peux activer l’eSIM sur mon téléphone ?' },
    { lang: 'nl', kind: 'question', text: '{brand} hoe kan ik mijn abonnement wijzigen?' },
    { lang: 'en', kind: 'praise', text: 'Huge thanks to the {brand} team, my {product} fixed in ten minutes. Great service!' },
    { lang: 'en', kind: 'praise', text: 'Loving the new {feature} from {brand}, full bars everywhere in {city} 😍' },
    { lang: 'de', kind: 'praise', text: 'Danke {brand}, super schnelles Netz in {city}, toller Service!' },
    { lang: 'fr', kind: 'praise', text: 'Merci {brand}, le réseau est parfait à {city}, génial !' },
    { lang: 'nl', kind: 'praise', text: 'Bedankt {brand}, geweldige service en snel internet!' },
    { lang: 'en', kind: 'lead', text: 'Thinking about switching to {brand} from {competitor}. Is the unlimited data plan worth it?' },
    { lang: 'en', kind: 'lead', text: 'How much is the {brand} family plan for four phones? Looking to buy this week.' },
    { lang: 'de', kind: 'lead', text: 'Überlege zu {brand} zu wechseln, lohnt sich der Tarif?' },
    { lang: 'en', kind: 'spam', text: 'Earn $500 a day with crypto, DM me! {brand} free SIM #bitcoin #money #rich #nft' },
    { lang: 'en', kind: 'neutral', text: 'At the {brand} store in {city} picking up a new SIM.' },
    { lang: 'de', kind: 'neutral', text: 'Heute im {brand} Laden in {city} gewesen.' },
    { lang: 'en', kind: 'risk', text: '{brand} the phone you sold me caught fire while charging in my kitchen. I am talking to my lawyer.' },
  ],
  scenes: {
    outage: {
      issue: 'network down',
      texts: ['{brand} network down?? No signal at all in {city}', 'Is {brand} having an outage? No calls, no data for anyone in {city}', '{brand} network down again, cannot even call'],
    },
    vipComplaint: '{brand} has cut my mobile data in the middle of a live broadcast from {city}. Three hours on hold. Appalling service.',
    lead: 'Our company needs 40 business lines, how much would {brand} charge and can someone call me?',
    praise: ['{brand} just gave everyone free data during the festival in {city}. Amazing!', 'Shout out to {brand} for free roaming this summer, great service!'],
  },
};

const BANK: BusinessProfile = {
  business: 'bank',
  languages: ['en', 'es', 'de', 'it'],
  slots: {
    product: ['debit card', 'credit card', 'transfer', 'savings account', 'mortgage', 'direct debit'],
    issue: ['declined', 'blocked', 'frozen', 'stuck', 'charged twice'],
    feature: ['Apple Pay', 'instant transfers', 'the budgeting tab', 'card freeze', 'face login'],
  },
  templates: [
    { lang: 'en', kind: 'complaint', text: '{brand} my card was {issue} at the till again and nobody answers. Unacceptable.' },
    { lang: 'en', kind: 'complaint', text: 'Been on hold with {brand} for {n} minutes about a {product} that never arrived. Terrible.' },
    { lang: 'en', kind: 'complaint', text: 'Hey {brand}, you charged me twice for the same payment this month. Fix it please.' },
    { lang: 'en', kind: 'complaint', text: 'The {brand} app keeps crashing when I open {feature}. So frustrating.' },
    { lang: 'es', kind: 'complaint', text: '{brand} llevo {n} días con la tarjeta bloqueada y nadie responde. Qué mal servicio.' },
    { lang: 'es', kind: 'complaint', text: 'La app de {brand} no funciona otra vez, no puedo ver mi cuenta. Pésimo.' },
    { lang: 'de', kind: 'complaint', text: '{brand} die App funktioniert nicht, seit {n} Tagen keine Antwort. Schlecht.' },
    { lang: 'de', kind: 'complaint', text: '{brand} meine Karte wurde gesperrt und niemand hilft. Schrecklich.' },
    { lang: 'it', kind: 'complaint', text: '{brand} la mia carta è bloccata da {n} giorni, servizio pessimo.' },
    { lang: 'en', kind: 'question', text: 'How do I raise the contactless limit on my {brand} card?' },
    { lang: 'en', kind: 'question', text: '@{brand} does the app support {feature}? Can anyone help?' },
    { lang: 'es', kind: 'question', text: '¿Alguien sabe cómo pedir una tarjeta nueva en {brand}?' },
    { lang: 'de', kind: 'question', text: '{brand} wie kann ich mein Passwort zurücksetzen?' },
    { lang: 'it', kind: 'question', text: '{brand} come posso bloccare la carta dall’app?' },
    { lang: 'en', kind: 'praise', text: 'Huge thanks to the {brand} team, fraud on my card sorted in ten minutes. Great service!' },
    { lang: 'en', kind: 'praise', text: 'Loving {feature} in the {brand} app 😍' },
    { lang: 'es', kind: 'praise', text: 'Gracias {brand}, me encanta la nueva app. Excelente atención.' },
    { lang: 'de', kind: 'praise', text: 'Danke {brand}, die neue App ist super, toller Service!' },
    { lang: 'it', kind: 'praise', text: 'Grazie {brand}, servizio fantastico in filiale a {city}!' },
    { lang: 'en', kind: 'lead', text: 'Thinking about switching to {brand} from {competitor}. Is the premium account worth it?' },
    { lang: 'en', kind: 'lead', text: 'Looking for a mortgage, should I go with {brand} or {competitor}? Recommendations?' },
    { lang: 'es', kind: 'lead', text: 'Quiero abrir una cuenta en {brand}, ¿vale la pena?' },
    { lang: 'en', kind: 'spam', text: '🎁 {brand} GIVEAWAY! Win $1000, click here http://win.example/{n} #free #win #giveaway #prize' },
    { lang: 'en', kind: 'neutral', text: 'At the {brand} branch in {city} sorting out paperwork.' },
    { lang: 'en', kind: 'neutral', text: '{brand} announced a new savings account today.' },
    { lang: 'de', kind: 'neutral', text: 'Heute in der {brand} Filiale in {city} gewesen.' },
    { lang: 'en', kind: 'risk', text: '{brand} someone emptied my account and you did nothing. Fraud. I am talking to my lawyer.' },
  ],
  scenes: {
    outage: {
      issue: 'app down',
      texts: ['{brand} app down again?? Cannot log in at all', 'Is {brand} having an outage? Card payments not working for anyone in {city}', '{brand} app down, cannot pay for anything'],
    },
    vipComplaint: '{brand} froze my business account without warning and nobody can tell me why. Payroll is due. Shameful.',
    lead: 'Looking to move my small business banking, how much does {brand} charge for a business account? Can someone contact me?',
    praise: ['{brand} refunded the scam payment within an hour. Incredible service, thank you!', 'Amazing support from {brand} today, card replaced in {city} on the spot!'],
  },
};

/** A brand whose business Hark does not know: a shop, in English only. */
const RETAIL: BusinessProfile = {
  business: 'retail',
  languages: ['en'],
  slots: {
    product: ['order', 'laptop', 'headphones', 'delivery', 'gift card'],
    issue: ['broken', 'not working', 'late', 'missing'],
    feature: ['the new checkout', 'order tracking', 'the wish list'],
  },
  templates: [
    { lang: 'en', kind: 'complaint', text: '{brand} my {product} has been {issue} for {n} days and nobody answers. Unacceptable.' },
    { lang: 'en', kind: 'complaint', text: 'Worst experience ever with {brand}. {product} {issue} again, never again.' },
    { lang: 'en', kind: 'question', text: 'How do I change the email on my {brand} account?' },
    { lang: 'en', kind: 'question', text: '@{brand} does the {product} work with {feature}? Can anyone help?' },
    { lang: 'en', kind: 'praise', text: 'Huge thanks to the {brand} team, {product} fixed in ten minutes. Great service!' },
    { lang: 'en', kind: 'lead', text: 'Looking for a new {product}, should I buy {brand} or {competitor}? Recommendations?' },
    { lang: 'en', kind: 'spam', text: '🎁 {brand} GIVEAWAY! Win a free {product}, click here http://win.example/{n} #free #win #giveaway #prize' },
    { lang: 'en', kind: 'neutral', text: '{brand} announced a new {product} today.' },
  ],
  scenes: {
    outage: { issue: 'checkout broken', texts: ['{brand} website checkout broken, error on payment page', '{brand} checkout broken for anyone else?'] },
    vipComplaint: '{brand} lost my order for the third time and support hung up on me. Disgraceful.',
    lead: 'We need 30 laptops for the office, how much would {brand} charge? Can someone contact me?',
    praise: ['{brand} delivered in two hours, amazing service!'],
  },
};

export const PROFILES: Record<Business, BusinessProfile> = { airline: AIRLINE, mobile: MOBILE, bank: BANK, retail: RETAIL };

/** The demo's brands, their business and their rivals (watched for share of voice). */
export const DEMO_BRANDS: Record<string, { business: Business; competitors: string[] }> = {
  'Acme Air': { business: 'airline', competitors: ['Skyward Airways', 'Jetlane'] },
  'Nimbus Mobile': { business: 'mobile', competitors: ['Orbit Telecom', 'Wavecell'] },
  Brightbank: { business: 'bank', competitors: ['Ledgerly', 'Northstone Bank'] },
};

/** A configured brand's business: known demo brands by name, others guessed from the name (an "Air", a "Bank"), else a shop. */
export function businessOf(brand: string): Business {
  const known = DEMO_BRANDS[brand]?.business;
  if (known) return known;
  const b = brand.toLowerCase();
  if (/\b(air|airways?|airlines?|jet)\b/.test(b)) return 'airline';
  if (/\b(mobile|telecom|wireless|cell)\b/.test(b)) return 'mobile';
  if (/bank|\bpay\b|credit|finance/.test(b)) return 'bank';
  return 'retail';
}

export const competitorsOf = (brand: string): string[] => DEMO_BRANDS[brand]?.competitors ?? [];
