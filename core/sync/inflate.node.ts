/**
 * Unzipping off the thread that serves requests: the hub reads the directory here (cheap,
 * bounded, see zip.node.ts), then a worker thread inflates the entries, so a large or hostile
 * package never stalls other requests. The worker is a plain zlib runner given each entry's
 * options by zip.node.ts, which also judges what comes back: the rules live once.
 *
 * The worker's source is a string evaluated by worker_threads, so it runs the same from the
 * TypeScript sources (tests), the esbuild bundle and a packaged app, with no file to locate.
 * Its JavaScript heap is capped (resourceLimits); the inflated bytes live outside that heap
 * and are bounded by the zip limits instead. At most MAX_WORKERS run at once.
 */
import { Worker } from 'node:worker_threads';
import { filesOf, inflateEntry, inflateOptions, listZip, settleInflated, type ZipLimits } from './zip.node';

const MAX_WORKERS = 2;
/** A worker that has not answered in this time is stopped (inflating the largest allowed package takes seconds). */
const TIMEOUT_MS = 120_000;

interface Job {
  data: ArrayBuffer;
  entries: { offset: number; length: number; method: number; options: { maxOutputLength: number; chunkSize: number } }[];
}

type Answer = { outputs: Uint8Array[] } | { failed: number; code?: string; message?: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { inflateRawSync } = require('node:zlib');
const { data, entries } = workerData;
const outs = [];
for (let i = 0; i < entries.length; i++) {
  const e = entries[i];
  const raw = new Uint8Array(data, e.offset, e.length);
  try {
    outs.push(e.method === 0 ? raw : inflateRawSync(raw, e.options));
  } catch (err) {
    parentPort.postMessage({ failed: i, code: err && err.code, message: String((err && err.message) || err) });
    return;
  }
}
// Each output moves to the caller without a copy when it owns its memory (small ones may share zlib's pool).
const owned = outs.map((o) => (o.byteOffset === 0 && o.byteLength === o.buffer.byteLength && o.buffer !== data ? o : o.slice()));
parentPort.postMessage({ outputs: owned }, owned.map((o) => o.buffer));
`;

let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_WORKERS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

function inflateInWorker(job: Job): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // The worker body is wrapped in a function so that `return` ends it early.
    const worker = new Worker(`(() => {${WORKER_SOURCE}})()`, {
      eval: true,
      workerData: job,
      // Moved, not copied (and a plain buffer: copying into a SharedArrayBuffer is slow, about 40 ms per MB).
      transferList: [job.data],
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16, codeRangeSizeMb: 16, stackSizeMb: 4 },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('zip: inflating took too long'));
    }, TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      void worker.terminate();
    };
    worker.once('message', (a: Answer) => {
      done();
      resolve(a);
    });
    worker.once('error', (e) => {
      done();
      reject(e);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`zip: the inflating worker stopped (${code})`));
    });
  });
}

/** Every entry of a zip, inflated in a worker thread; throws as readZip does. */
export async function readZipOffThread(data: Uint8Array, limits: ZipLimits): Promise<Record<string, Uint8Array>> {
  const entries = listZip(data, limits);
  const compressed = entries.filter((e) => e.method !== 0);
  // Small packages are not worth a thread (starting one costs milliseconds).
  if (compressed.reduce((n, e) => n + e.size, 0) <= 1024 * 1024) return filesOf(entries, entries.map(inflateEntry));
  const view = new Uint8Array(entries.reduce((n, e) => n + e.raw.length, 0));
  let at = 0;
  const job: Job = { data: view.buffer, entries: [] };
  for (const e of entries) {
    view.set(e.raw, at);
    job.entries.push({ offset: at, length: e.raw.length, method: e.method, options: inflateOptions(e) });
    at += e.raw.length;
  }
  const release = await slot();
  let answer: Answer;
  try {
    answer = await inflateInWorker(job);
  } finally {
    release();
  }
  if ('failed' in answer) {
    settleInflated(entries[answer.failed]!, { code: answer.code, message: answer.message });
    throw new Error('zip: inflate failed');
  }
  return filesOf(entries, entries.map((e, i) => settleInflated(e, answer.outputs[i]!)));
}
