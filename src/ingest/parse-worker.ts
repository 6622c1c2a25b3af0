// Worker thread: reads, hashes and parses archive files so parsing uses every core while the main
// thread writes. Messages: ParseJob in, ParseResult out.
// First: sets the import's heap settings again once this thread's heap exists (import-heap.ts).
import './import-heap';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { parseFile } from './parse-file';
import { packContent } from './render/packed';
import { encodedForPostgres, tokenText } from './search/tsvector';
import type { FileOutcome, SiteConfig } from './types';

export interface ParseJob {
  seq: number;
  rel: string;
  abs: string;
  /** Hash from the last import: equal bytes need no parsing. */
  knownHash: string | null;
  site: SiteConfig;
  /** The build's time: a post dated after it is scheduled (`future: false`). */
  buildTimeMs: number;
  /** Pack the HTML and text (SQLite stores them packed): here, on the parser's thread, not the writer's. */
  pack?: boolean;
  /** Encode the search tokens as the binary tsvector PostgreSQL stores: here, not on the writer's thread. */
  tsvector?: boolean;
}

export type ParseResult =
  { seq: number; fileHash: string; size: number; outcome: FileOutcome | null } | { seq: number; error: string };

/**
 * The work itself, shared by the worker and the in-thread path: on the file's bytes when they were
 * read already (or the error reading them gave), else read here.
 */
export function runJob(job: ParseJob, read?: Buffer | Error): ParseResult {
  let bytes: Buffer;
  try {
    if (read instanceof Error) throw read;
    bytes = read ?? fs.readFileSync(job.abs);
  } catch (err) {
    return { seq: job.seq, error: `cannot read: ${(err as Error).message}` };
  }
  const fileHash = createHash('sha256').update(bytes).digest('hex');
  if (fileHash === job.knownHash) return { seq: job.seq, fileHash, size: bytes.length, outcome: null };
  const outcome = parseFile(job.rel, bytes, fileHash, job.site, job.buildTimeMs);
  if (job.pack && outcome.kind === 'post') {
    const r = outcome.record.rendering;
    // The strings stay behind: copying them to the writer's thread and holding them there cost
    // time and a batch's worth of memory for nothing.
    outcome.record.rendering = { ...r, ...packContent(r.html as string, r.text as string) };
  }
  if (job.tsvector && outcome.kind === 'post') {
    // The writer's thread bounded a PostgreSQL import, and the vector was a sixth of its time; the
    // token text (about three times the text's length) crossed to it for the vector alone.
    outcome.record.searchTokens = encodedForPostgres(tokenText(outcome.record.searchTokens, job.rel));
  }
  return { seq: job.seq, fileHash, size: bytes.length, outcome };
}

/** A file's bytes, read on libuv's threads; an error is the value, for `runJob` to report. */
function readAhead(job: ParseJob): Promise<Buffer | Error> {
  return new Promise((resolve) => fs.readFile(job.abs, (err, bytes) => resolve(err ?? bytes)));
}

if (parentPort) {
  const port = parentPort;
  let tail = Promise.resolve();
  port.on('message', (jobs: ParseJob[]) => {
    // Every file of the chunk is asked for as it arrives and parsed in turn as its bytes come, so
    // reads from a cold disk overlap the parsing instead of stalling this thread one file at a
    // time (a 100k import: 85 s from a cold page cache against 73 s warm, reading each file here).
    // The importer bounds the files queued (importer.ts), and so the bytes read ahead.
    const reads = jobs.map(readAhead);
    tail = tail
      .then(async () => {
        const results: ParseResult[] = [];
        for (let i = 0; i < jobs.length; i++) results.push(runJob(jobs[i], await reads[i]));
        port.postMessage(results);
      })
      .catch((err: unknown) => {
        // As a throw in a message handler did: the thread fails, and the pool fails the import.
        setImmediate(() => {
          throw err;
        });
      });
  });
}
