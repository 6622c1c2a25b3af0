// Worker thread: reads, hashes and parses archive files so parsing uses every core while the main
// thread writes. Messages: ParseJob in, ParseResult out.
// First: sets the import's heap settings again once this thread's heap exists (import-heap.ts).
import './import-heap';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { parseFile } from './parse-file';
import { packText } from './render/packed';
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
}

export type ParseResult =
  { seq: number; fileHash: string; size: number; outcome: FileOutcome | null } | { seq: number; error: string };

/** The work itself, shared by the worker and the in-thread path. */
export function runJob(job: ParseJob): ParseResult {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(job.abs);
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
    outcome.record.rendering = { ...r, html: packText(r.html as string), text: packText(r.text as string) };
  }
  return { seq: job.seq, fileHash, size: bytes.length, outcome };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (jobs: ParseJob[]) => port.postMessage(jobs.map(runJob)));
}
