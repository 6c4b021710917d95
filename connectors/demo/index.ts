export { createSimulator, generateMention, generateMentions, seededRandom, type SimulatorOptions } from './simulator.js';
