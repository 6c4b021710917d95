import { describe, expect, it } from 'vitest';
import { scoreSentiment } from '../../../workers/nlp/sentiment.js';

const label = (text: string, lang = 'en') => scoreSentiment(text, lang, new Set(['acme'])).label;

describe('customer-care and review rules', () => {
  it('hears a complaint said without a sentiment word', () => {
    expect(label("@acme I can't check in and your site won't load")).toBe('negative');
    expect(label('@acme the app is not working since yesterday')).toBe('negative');
    expect(label("@acme still haven't received my refund")).toBe('negative');
    expect(label('@acme on hold for 45 minutes now')).toBe('negative');
  });

  it('reads a request as a request, not as praise', () => {
    expect(label('@acme can you help me change my booking please?')).toBe('neutral');
    expect(label('@acme need help with customer support')).toBe('neutral');
  });

  it('knows idioms where a negation praises or a praise word damns', () => {
    expect(label('I cannot recommend it enough!')).toBe('positive');
    expect(label("It doesn't get any better than this")).toBe('positive');
    expect(label('poor quality.')).toBe('negative');
    expect(label('this thing is trash')).toBe('negative');
    expect(label('Customer service is a joke')).toBe('negative');
    expect(label('Thanks for nothing, acme')).toBe('negative');
    expect(label('will never buy from them again')).toBe('negative');
  });

  it('reads stretched words and camel-case hashtags', () => {
    expect(label('sooo goooood')).toBe('positive');
    expect(label('#WorstFlightEver')).toBe('negative');
  });

  it('scores everyday words in French, German, Italian, Spanish and Portuguese', () => {
    expect(label('le service client est horrible, je suis très déçu', 'fr')).toBe('negative');
    expect(label("j'adore cette application, merci !", 'fr')).toBe('positive');
    expect(label('Der Kundenservice ist eine Katastrophe', 'de')).toBe('negative');
    expect(label('servizio fantastico, grazie mille', 'it')).toBe('positive');
    expect(label('el peor servicio, nunca más', 'es')).toBe('negative');
    expect(label('adorei o atendimento, muito obrigado', 'pt')).toBe('positive');
  });
});

describe('intent', () => {
  const intentOf = async (text: string) => {
    const { createScorer } = await import('../../../workers/nlp/index.js');
    return createScorer({ brands: ['Acme'] }).score({ text, lang: 'en', author: { id: null, handle: 'x', name: null, followers: 1, verified: false, url: null }, engagement: { likes: 0, reposts: 0, replies: 0 }, brand: 'Acme' }).scores.intent;
  };
  it('a negative post to a brand with no question in it is a complaint, even without a complaint word', async () => {
    expect(await intentOf('@acme the wifi was a bit slow on my flight')).toMatchObject({ label: 'complaint', cues: ['negative tone'] });
  });
  it('a complaint word in a happy post is not a complaint', async () => {
    expect((await intentOf('@acme thanks for getting me home despite the delay, great crew!')).label).not.toBe('complaint');
  });
});
