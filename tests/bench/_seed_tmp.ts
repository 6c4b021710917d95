import { seededSearchDb } from './search-seed.js';
const n = Number(process.argv[2] ?? 1_000_000);
const r = await seededSearchDb(n, console.log);
console.log(r);
