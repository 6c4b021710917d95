import { benchSearch } from './search.js';
const r = await benchSearch({ count: Number(process.argv[2] ?? 50_000), perWord: 15, loadSeconds: 6, rate: 5, log: (s) => console.error(s) });
console.log(JSON.stringify(r, null, 1));
