export { createDemoStream, createSimulator, generateMention, generateMentions, regularAuthor, REGULARS_PER_BRAND, seededRandom, type SceneKind, type SimulatorOptions } from './simulator.js';
export { businessOf, competitorsOf, DEMO_BRANDS, PROFILES, type Business, type BusinessProfile } from './businesses.js';
