// Entry of a scoring thread. Plain JavaScript, so that it starts the same way
// under `node --import tsx` (npm start, npm run hark, the Dockerfile), under
// vitest and under tsx: tsx's scoped import loads the TypeScript code whether
// or not the parent thread registered tsx itself.
import { tsImport } from 'tsx/esm/api';

await tsImport('./score-thread.ts', import.meta.url);
