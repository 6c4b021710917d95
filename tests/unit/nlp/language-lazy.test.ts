import { describe, expect, it } from 'vitest';
import { detectLanguage, languageModelLoaded } from '../../../workers/nlp/language.js';

// A thread that never detects a language (the server's own thread while a pool scores) must not hold eld's ~83 MB.
describe('language detection loads its n-gram tables on first need', () => {
  it('not on import, nor for a language the network gave, nor for plain English', () => {
    expect(languageModelLoaded()).toBe(false);
    expect(detectLanguage('anything at all', 'pt-BR')).toBe('pt');
    expect(detectLanguage('my flight is late again and the app is down')).toBe('en');
    expect(languageModelLoaded()).toBe(false);
  });
  it('then for the first text it must read', () => {
    expect(detectLanguage('Die App stürzt beim Login immer wieder ab, sehr ärgerlich')).toBe('de');
    expect(languageModelLoaded()).toBe(true);
  });
});
