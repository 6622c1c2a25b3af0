import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { MAIN_YOUNG_GENERATION_MB } from '../../src/ingest/import-heap';

// The compiled modules (npm test builds first), in a process of their own: V8's flags are
// process-wide, and the threads run dist/src/ingest/*-worker.js.
const DIST = path.resolve(__dirname, '../../dist/src/ingest');
const SEED = path.resolve(__dirname, '../../seeds/finews');

/**
 * Starts a walking thread and the parser threads as an import does, waits until each has run its
 * script, then makes garbage that survives (what makes V8 grow a young generation), and reports
 * the main thread's young generation in MB. `settings`: the import's (`useImportHeapSettings`), or
 * only the growth factor set once on the main thread, as before every thread set it again.
 */
function youngGenerationAfterThreads(settings: 'import' | 'factor-once'): number {
  const script = `
    const v8 = require('node:v8');
    const fs = require('node:fs');
    const path = require('node:path');
    const [settings, dist, seed] = process.argv.slice(1);
    if (settings === 'import') {
      const heap = require(dist + '/import-heap.js');
      heap.useImportHeapSettings();
      heap.holdYoungGeneration();
    }
    else v8.setFlagsFromString('--semi-space-growth-factor=1');
    const { WalkAhead } = require(dist + '/walk-ahead.js');
    const { ParsePool, START_THREADS_AT } = require(dist + '/parse-pool.js');
    const { readSiteConfig } = require(dist + '/jekyll/config.js');
    (async () => {
      const files = [];
      for await (const f of new WalkAhead(seed).files()) if (f.rel.startsWith('_posts/')) files.push(f);
      const site = readSiteConfig(fs.readFileSync(path.join(seed, '_config.yml'), 'utf8'));
      const pool = new ParsePool(2);
      const n = START_THREADS_AT + 64;
      for (let i = 0; i < n; i++) {
        const f = files[i % files.length];
        pool.submit({ rel: f.rel, abs: f.abs, knownHash: null, site, buildTimeMs: Date.now() }, i);
      }
      for (let i = 0; i < n; i++) await pool.take(i);
      if (!pool.threadsStarted) throw new Error('the parser threads did not start');
      await pool.close();
      let keep = [];
      for (let i = 0; i < 3e6; i++) {
        keep.push({ i, s: 'x' + i });
        if (keep.length > 5e5) keep = keep.slice(2.5e5);
      }
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      console.log(young.space_size / 1048576);
    })();
  `;
  return Number(execFileSync(process.execPath, ['-e', script, settings, DIST, SEED], { encoding: 'utf8' }).trim());
}

test("an import's threads keep the main thread's young generation small, though V8 resets its growth factor for each", () => {
  // V8 puts the factor back to 2 when it sets up a thread's heap: set once, it is lost (32 MB).
  expect(youngGenerationAfterThreads('factor-once')).toBeGreaterThanOrEqual(16);
  // Each thread sets it again first thing, and the main thread until then: the young generation
  // stays at the size the import gave it.
  expect(youngGenerationAfterThreads('import')).toBe(MAIN_YOUNG_GENERATION_MB);
}, 60_000);
