import { describe, expect, it } from 'vitest';
import { scoreSentiment } from '../../../workers/nlp/sentiment.js';
import { tokenize } from '../../../workers/nlp/text.js';

const label = (text: string, lang = 'en') => scoreSentiment(text, lang, new Set(['acme'])).label;

describe('tokens the lexicons can read', () => {
  it('keeps emoticons whole after lower-casing, and straightens curly apostrophes', () => {
    expect(tokenize('Star Wars day :D :-( ;) <333')).toEqual(['star', 'wars', 'day', ':d', ':-(', ';)', '<333']);
    expect(tokenize('I don’t mind')).toContain("don't");
    expect(tokenize('re:open')).toEqual(['re', 'open']);
  });

  it('decodes \\u escapes left in exported text', () => {
    expect(tokenize('I\\u2019m here')).toEqual(["i'm", 'here']);
  });
});

describe('English rules', () => {
  it('reads emoticons and curly-apostrophe negations', () => {
    expect(label('Star Wars day tomorrow :D')).toBe('positive');
    expect(label('I don’t like this app')).toBe('negative');
  });

  it('ends a negation at a denied complaint and hears looking forward as praise', () => {
    expect(label('Canon never fails to amaze.')).toBe('positive');
    expect(label("can't wait for my trip to Lisbon")).toBe('positive');
  });

  it('lets a question without "!" lean neutral', () => {
    expect(label('is the lounge any good?')).toBe('neutral');
  });

  it('knows review verdicts and sarcastic thanks', () => {
    expect(label('giving it 5 stars')).toBe('positive');
    expect(label('even 1 star is too much')).toBe('negative');
    expect(label('sent it back after a week')).toBe('negative');
    expect(label('thanks for losing my bag again')).toBe('negative');
  });

  it('treats boosters as boosters and neutral nouns as neutral', () => {
    expect(label('this camera is insanely great')).toBe('positive');
    expect(label('the lobby is on the 2nd floor')).toBe('neutral');
    expect(label('I stand with them 😍')).toBe('positive');
  });
});

describe('other languages', () => {
  it('finds words written without their accents', () => {
    expect(label('très decu par le service', 'fr')).toBe('negative');
    expect(label('total enttauscht', 'de')).toBe('negative');
    expect(label('atendimento pessimo', 'pt')).toBe('negative');
  });

  it('does not read French "plus" (more) as a negation', () => {
    expect(label("c'est plus rapide et plus simple, merci", 'fr')).toBe('positive');
  });

  it('knows everyday praise and gripes', () => {
    expect(label('danke, alles super', 'de')).toBe('positive');
    expect(label('volo cancellato, che schifo', 'it')).toBe('negative');
    expect(label('me encantó el servicio', 'es')).toBe('positive');
    expect(label('no me gustó nada', 'es')).toBe('negative');
  });
});
