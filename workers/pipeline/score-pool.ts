import { Worker } from 'node:worker_threads';
import type { Logger } from '../../shared/log.js';
import type { ScoreInput, ScoreOutput, Scorer } from '../nlp/index.js';
import type { ModelState } from '../nlp/model.js';

/** One mention's scores, or why it could not be scored (that mention is rejected, never its batch). */
export type ScoreResult = ScoreOutput | { error: string };

/** Scores many texts at once: in this thread (a `Scorer` wrapped) or in a pool of threads. */
export interface BatchScorer {
  scoreMany(inputs: readonly ScoreInput[]): Promise<ScoreResult[]>;
}

/** The learned models that changed since a revision, with their exact weights. */
export interface LearnedChanges {
  revision: number;
  models: Array<{ brand: string | null; sentiment: ModelState | null; intent: ModelState | null }>;
}
/** Where the threads get the learned models (the learner), so an edit or a reload reaches them. */
export interface LearnedFeed {
  revision(): number;
  changesSince(revision: number): LearnedChanges;
}

export type ThreadRequest =
  | { t: 'brands'; brands: string[] }
  | { t: 'models'; models: LearnedChanges['models'] }
  | { t: 'score'; id: number; inputs: ScoreInput[] };
export interface ThreadReply {
  t: 'scored';
  id: number;
  results: ScoreResult[];
}

interface Chunk {
  id: number;
  inputs: ScoreInput[];
  attempts: number;
  done: (results: ScoreResult[]) => void;
  fail: (err: Error) => void;
}
interface Slot {
  worker: Worker;
  busy: Chunk | null;
  /** What this thread was last sent, compared before each chunk. */
  brands: readonly string[] | null;
  revision: number;
  stall: NodeJS.Timeout | null;
}

export interface ScorePoolOptions {
  threads: number;
  /** The brand words' brands now; a new array (not the same one mutated) when they change. */
  brands: () => readonly string[];
  learned?: LearnedFeed;
  /** Scores a chunk in this thread when threads keep dying on it, or cannot start. */
  inProcess: () => Promise<Scorer>;
  log: Logger;
  /** Most mentions per message to a thread. */
  chunkSize?: number;
  /** Threads a chunk may be tried on before it is scored in this thread. */
  maxAttempts?: number;
  /** A thread silent this long on one chunk is taken for hung: ended, and its chunk scored again. */
  stallMs?: number;
}

export interface ScorePool extends BatchScorer {
  readonly size: number;
  /** Starts the threads now rather than at the first batch (the CLI, while it opens the file). */
  warm(): void;
  /** The live threads (health, tests). */
  threads(): readonly Worker[];
  close(): Promise<void>;
}

const THREAD_URL = new URL('./score-thread.mjs', import.meta.url);
/**
 * What a thread inherits of this process's flags: profiling, source maps and
 * warnings. Not tsx (the thread registers it itself, score-thread.mjs; a second,
 * global loader would only slow its start) and not V8 heap sizes, which a
 * worker refuses (its heap is set by THREAD_LIMITS).
 */
const INHERITED = /^--(cpu-prof|heap-prof|prof|enable-source-maps|no-warnings|trace-warnings|conditions|experimental-|no-experimental-)/;
// Flags of these whose value may come as the next argument.
const WITH_VALUE = new Set(['--conditions', '--cpu-prof-dir', '--cpu-prof-name', '--cpu-prof-interval', '--heap-prof-dir', '--heap-prof-name', '--heap-prof-interval']);
const threadExecArgv = () => {
  const out: string[] = [];
  const all = process.execArgv;
  for (let i = 0; i < all.length; i++) {
    const a = all[i]!;
    const takesNext = WITH_VALUE.has(a) && i + 1 < all.length;
    if (INHERITED.test(a)) out.push(...(takesNext ? [a, all[i + 1]!] : [a]));
    if (takesNext) i++;
  }
  return out;
};

/**
 * A thread holds its scorer (~40 MB of lexicons and n-gram tables) and one
 * chunk's garbage. Left to itself V8 lets a heap grow towards a limit derived
 * from the machine's memory before collecting hard; capped, each thread stays
 * near what it needs, so the server's memory during an import stays bounded.
 */
const THREAD_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

/** Wraps a scorer of this thread as a batch scorer (PIPELINE_THREADS=1, and the analyze command). */
export function inThisThread(scorer: Scorer): BatchScorer {
  return {
    scoreMany: (inputs) =>
      Promise.resolve(
        inputs.map((input) => {
          try {
            return scorer.score(input);
          } catch (e) {
            return { error: e instanceof Error ? e.message : String(e) };
          }
        }),
      ),
  };
}

/**
 * Scoring on every core: a fixed number of worker threads, each with its own
 * scorer, fed chunks of a batch from one FIFO queue (so concurrent batches
 * share the threads fairly). Results come back in input order. Brand words and
 * learned models are sent to a thread just before the first chunk that needs
 * them. A thread that dies (or hangs past `stallMs`) is replaced and its chunk
 * is scored again by another thread; after `maxAttempts` threads, or when
 * threads cannot start at all, in this thread. Nothing is lost or scored twice
 * into the result.
 */
export function createScorePool(opts: ScorePoolOptions): ScorePool {
  const size = Math.max(1, Math.floor(opts.threads));
  const chunkSize = opts.chunkSize ?? 250;
  const maxAttempts = opts.maxAttempts ?? 2;
  const stallMs = opts.stallMs ?? 60_000;
  const log = opts.log.child({ part: 'score-pool' });
  const slots = new Set<Slot>();
  const queue: Chunk[] = [];
  let nextId = 1;
  let closing = false;
  // Deaths since the last chunk a thread scored: threads that cannot even start must not be respawned for ever.
  let deathsInARow = 0;
  let degraded = false;
  let local: Promise<Scorer> | null = null;

  const spawn = () => {
    let worker: Worker;
    try {
      worker = new Worker(THREAD_URL, { execArgv: threadExecArgv(), resourceLimits: THREAD_LIMITS });
    } catch (err) {
      // A thread that cannot even be created: score here rather than wait for one.
      log.error('scoring thread could not start: scoring in the main thread', { err: err instanceof Error ? err.message : String(err) });
      degraded = true;
      return;
    }
    const slot: Slot = { worker, busy: null, brands: null, revision: -1, stall: null };
    slots.add(slot);
    worker.unref();
    worker.on('message', (msg: ThreadReply) => {
      const chunk = slot.busy;
      if (!chunk || msg.t !== 'scored' || msg.id !== chunk.id) return;
      settle(slot);
      deathsInARow = 0;
      chunk.done(msg.results);
      pump();
    });
    worker.on('error', (err) => log.error('scoring thread failed', { err: err.message }));
    worker.on('exit', (code) => {
      const chunk = slot.busy;
      settle(slot);
      slots.delete(slot);
      if (closing) {
        chunk?.fail(new Error('the scoring pool closed'));
        return;
      }
      deathsInARow++;
      log.warn('scoring thread ended', { code, chunk: chunk ? chunk.inputs.length : 0, attempts: chunk ? chunk.attempts + 1 : 0 });
      if (chunk) {
        chunk.attempts++;
        if (chunk.attempts >= maxAttempts) void scoreHere(chunk);
        else queue.unshift(chunk);
      }
      if (deathsInARow > size * 2) {
        if (!degraded) log.error('scoring threads keep ending: scoring in the main thread', { deaths: deathsInARow });
        degraded = true;
      } else spawn();
      pump();
    });
  };

  const settle = (slot: Slot) => {
    if (slot.stall) clearTimeout(slot.stall);
    slot.stall = null;
    slot.busy = null;
    if (!closing) slot.worker.unref();
  };

  const scoreHere = async (chunk: Chunk) => {
    try {
      local ??= opts.inProcess();
      chunk.done(await inThisThread(await local).scoreMany(chunk.inputs));
    } catch (e) {
      chunk.fail(e instanceof Error ? e : new Error(String(e)));
    }
  };

  const send = (slot: Slot, chunk: Chunk) => {
    const brands = opts.brands();
    if (slot.brands !== brands) {
      slot.worker.postMessage({ t: 'brands', brands: [...brands] } satisfies ThreadRequest);
      slot.brands = brands;
    }
    if (opts.learned && opts.learned.revision() !== slot.revision) {
      const changes = opts.learned.changesSince(slot.revision);
      if (changes.models.length > 0) slot.worker.postMessage({ t: 'models', models: changes.models } satisfies ThreadRequest);
      slot.revision = changes.revision;
    }
    slot.busy = chunk;
    // A busy thread keeps the process alive (an idle one does not): the CLI exits when its work is done.
    slot.worker.ref();
    slot.stall = setTimeout(() => {
      log.error('scoring thread hung: ending it', { ms: stallMs, chunk: chunk.inputs.length });
      void slot.worker.terminate();
    }, stallMs);
    slot.stall.unref();
    slot.worker.postMessage({ t: 'score', id: chunk.id, inputs: chunk.inputs } satisfies ThreadRequest);
  };

  const pump = () => {
    if (degraded && slots.size === 0) {
      for (const chunk of queue.splice(0)) void scoreHere(chunk);
      return;
    }
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (!slot.busy) send(slot, queue.shift()!);
    }
  };

  // Threads start on first use (or `warm`): a process that never scores (an API that is never sent an import) holds none.
  let started = false;
  const start = () => {
    if (started || closing) return;
    started = true;
    for (let i = 0; i < size; i++) spawn();
  };

  return {
    size,
    warm: start,
    threads: () => [...slots].map((s) => s.worker),
    scoreMany(inputs) {
      if (inputs.length === 0) return Promise.resolve([]);
      if (closing) return Promise.reject(new Error('the scoring pool is closed'));
      start();
      // About one chunk per thread for a batch, no bigger than chunkSize.
      const per = Math.min(chunkSize, Math.max(16, Math.ceil(inputs.length / size)));
      const parts: Array<Promise<ScoreResult[]>> = [];
      for (let at = 0; at < inputs.length; at += per) {
        parts.push(new Promise<ScoreResult[]>((done, fail) => queue.push({ id: nextId++, inputs: inputs.slice(at, at + per), attempts: 0, done, fail })));
      }
      pump();
      return Promise.all(parts).then((r) => r.flat());
    },
    async close() {
      closing = true;
      for (const chunk of queue.splice(0)) chunk.fail(new Error('the scoring pool closed'));
      await Promise.all([...slots].map((s) => s.worker.terminate()));
      slots.clear();
    },
  };
}
