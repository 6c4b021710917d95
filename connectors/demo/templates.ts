import type { Intent } from '../../shared/mention.js';

/**
 * Demo posts with slots: {brand}, {product}, {issue}, {city}, {n}, {feature},
 * {competitor}. Written to read like real posts, in several languages.
 */
export interface Template {
  lang: string;
  kind: Intent | 'neutral' | 'risk';
  text: string;
}

export const TEMPLATES: Template[] = [
  // complaints
  { lang: 'en', kind: 'complaint', text: '{brand} my {product} has been {issue} for {n} days and nobody answers. Unacceptable.' },
  { lang: 'en', kind: 'complaint', text: 'Been on hold with {brand} for {n} minutes. Still no refund for the {product}.' },
  { lang: 'en', kind: 'complaint', text: 'Worst experience ever with {brand}. {product} {issue} again, never again.' },
  { lang: 'en', kind: 'complaint', text: 'Hey {brand}, you charged me twice for {product} this month. Fix it please.' },
  { lang: 'en', kind: 'complaint', text: 'Flight to {city} delayed {n} hours and {brand} staff are rude about it 😡' },
  { lang: 'en', kind: 'complaint', text: "The {brand} app keeps crashing when I open {feature}. So frustrating." },
  { lang: 'en', kind: 'complaint', text: 'Lost my bag on the {brand} flight from {city}. Nobody knows where it is.' },
  { lang: 'es', kind: 'complaint', text: '{brand} llevo {n} días esperando el reembolso de mi {product}. Qué mal servicio.' },
  { lang: 'pt', kind: 'complaint', text: 'O app da {brand} não funciona de novo. Péssimo atendimento.' },
  { lang: 'fr', kind: 'complaint', text: '{brand} mon {product} ne marche toujours pas, service client horrible.' },
  { lang: 'de', kind: 'complaint', text: '{brand} die App funktioniert nicht, seit {n} Tagen keine Antwort. Schlecht.' },
  { lang: 'it', kind: 'complaint', text: '{brand} il volo per {city} è in ritardo di {n} ore, servizio pessimo.' },
  // questions
  { lang: 'en', kind: 'question', text: 'How do I change the email on my {brand} account?' },
  { lang: 'en', kind: 'question', text: '@{brand} does the {product} work with {feature}? Can anyone help?' },
  { lang: 'en', kind: 'question', text: 'Anyone know if {brand} is open on Sunday in {city}?' },
  { lang: 'es', kind: 'question', text: '¿Alguien sabe cómo cancelar la suscripción de {brand}?' },
  { lang: 'fr', kind: 'question', text: '{brand} comment je peux modifier ma réservation pour {city} ?' },
  { lang: 'de', kind: 'question', text: '{brand} wie kann ich mein Passwort zurücksetzen?' },
  // praise
  { lang: 'en', kind: 'praise', text: 'Huge thanks to the {brand} team, {product} fixed in ten minutes. Great service!' },
  { lang: 'en', kind: 'praise', text: 'Loving the new {feature} in the {brand} app 😍' },
  { lang: 'en', kind: 'praise', text: 'Smooth flight to {city} with {brand} today, friendly crew. Kudos!' },
  { lang: 'es', kind: 'praise', text: 'Gracias {brand}, me encanta el nuevo {product}. Excelente atención.' },
  { lang: 'it', kind: 'praise', text: 'Grazie {brand}, servizio fantastico a {city}!' },
  { lang: 'pt', kind: 'praise', text: 'Obrigado {brand}, adoro o novo {feature}! Excelente.' },
  // leads
  { lang: 'en', kind: 'lead', text: 'Thinking about switching to {brand} from {competitor}. Is the {product} worth it?' },
  { lang: 'en', kind: 'lead', text: 'Looking for a new {product}, should I buy {brand} or {competitor}? Recommendations?' },
  { lang: 'en', kind: 'lead', text: 'How much is the {brand} {product} plan for a family of four?' },
  { lang: 'es', kind: 'lead', text: 'Quiero comprar el {product} de {brand}, ¿vale la pena?' },
  // spam
  { lang: 'en', kind: 'spam', text: '🎁 {brand} GIVEAWAY! Win a free {product}, click here http://win.example/{n} #free #win #giveaway #prize' },
  { lang: 'en', kind: 'spam', text: 'Earn $500 a day with crypto, DM me! {brand} {product} #bitcoin #money #rich #nft' },
  // neutral chatter
  { lang: 'en', kind: 'neutral', text: 'At the {brand} store in {city} picking up a {product}.' },
  { lang: 'en', kind: 'neutral', text: '{brand} announced a new {product} today.' },
  { lang: 'en', kind: 'neutral', text: 'Reading about the {brand} {feature} update.' },
  { lang: 'de', kind: 'neutral', text: 'Heute im {brand} Laden in {city} gewesen.' },
  // risk
  { lang: 'en', kind: 'risk', text: '{brand} your {product} caught fire in my kitchen. I am talking to my lawyer.' },
  { lang: 'en', kind: 'risk', text: 'Got food poisoning after the {brand} meal on the flight to {city}. Ended up in hospital.' },
];

export const BURST_TOPICS = [
  { text: '{brand} app down again?? Cannot log in at all', issue: 'app down' },
  { text: 'Is {brand} having an outage? {product} not working for anyone in {city}', issue: 'outage' },
  { text: '{brand} website checkout broken, error on payment page', issue: 'checkout broken' },
];

export const SLOTS = {
  product: ['phone plan', 'card', 'router', 'subscription', 'ticket', 'order', 'premium plan', 'laptop', 'account', 'upgrade'],
  issue: ['broken', 'not working', 'stuck', 'offline', 'delayed', 'crashing'],
  city: ['Lisbon', 'Madrid', 'Chicago', 'Berlin', 'Lyon', 'Milan', 'São Paulo', 'Denver', 'Austin', 'Toronto'],
  feature: ['dark mode', 'the new checkout', 'Apple Pay', 'offline mode', 'seat selection', 'the loyalty wallet'],
  competitor: ['Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay'],
} as const;

export const HANDLES = ['sam', 'lee', 'ana', 'kofi', 'mia', 'jon', 'ravi', 'noor', 'li', 'tom', 'eva', 'omar', 'zoe', 'ben', 'ines', 'yuki', 'raj', 'ola', 'max', 'ida'];
export const SURNAMES = ['_rivera', '_k', '99', '_travels', '_dev', '_in_' + 'nyc', '.m', '_writes', '_22', '_official'];
