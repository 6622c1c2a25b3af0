import {
  bandKeys,
  SAME_STORY_WINDOW_MS,
  sameStory,
  signatureBytes,
  signatureFromBytes,
  storySignature,
} from '../../ingest/story/signature';
import { unpackText, type StoredText } from '../../ingest/render/packed';
import { inList } from '../sql-runner';
import { chunks, insertRows, Program } from '../related/program';
import type { BatchPlan } from '../writes/plan';

// Story clusters in the database (docs/contract.md, "Story clusters"), as programs both writers
// run (../related/program.ts). `post_story` holds each signed post's signature and date (indexed
// by date), `post_same_story` both directions of every pair that tells the same story. A batch
// reads the signatures of the posts within the window of its own (a few days of the archive, not
// the archive) and finds candidates among them by their band keys in memory (LSH); a pair depends
// only on its two posts, so the pairs never depend on the order of imports.

/** A post as the upkeep needs it: its date and its signature (null: too short to judge). */
export interface StoryPost {
  id: number;
  dateMs: number;
  signature: Uint8Array | null;
}

/** The posts a plan writes, with the ids they were written under (in plan order). */
export function storyPosts(plan: Pick<BatchPlan, 'posts'>, ids: readonly number[]): StoryPost[] {
  return plan.posts.map((w, i) => ({ id: ids[i], dateMs: w.rec.dateMs, signature: w.rec.storySignature }));
}

/** Ids per IN list. */
const IDS_PER_STATEMENT = 1000;
/** Pairs per DELETE. */
const ROWS_PER_DELETE = 500;

/**
 * Deletes rows by their whole primary key, a chunk a statement. The values are cast: PostgreSQL
 * types a VALUES list by its own contents, not by the columns it is compared with.
 */
function* deleteRows(table: string, columns: [string, 'INTEGER' | 'BIGINT'][], rows: unknown[][]): Program<void> {
  const row = `(${columns.map(([, type]) => `CAST(? AS ${type})`).join(', ')})`;
  for (const part of chunks(rows, ROWS_PER_DELETE)) {
    const values = part.map(() => row).join(', ');
    yield {
      sql: `DELETE FROM ${table} WHERE (${columns.map(([c]) => c).join(', ')}) IN (VALUES ${values})`,
      params: part.flat(),
    };
  }
}

/** Signatures are stored as base64 text: one column type that both databases hold alike. */
const storedSignature = (value: unknown) => signatureFromBytes(Buffer.from(String(value), 'base64'));

/** Removes what the stories hold of these posts (rewritten or removed): signature and pairs. */
export function* forgetStories(ids: readonly number[]): Program<void> {
  for (const part of chunks(ids, IDS_PER_STATEMENT)) {
    const list = inList(part);
    const mates = yield {
      sql: `SELECT post_id AS a, other_id AS b FROM post_same_story WHERE post_id IN ${list.sql}`,
      params: list.params,
    };
    yield* deleteRows(
      'post_same_story',
      [
        ['post_id', 'INTEGER'],
        ['other_id', 'INTEGER'],
      ],
      mates.map((r) => [Number(r.b), Number(r.a)]),
    );
    yield { sql: `DELETE FROM post_same_story WHERE post_id IN ${list.sql}`, params: list.params };
    yield { sql: `DELETE FROM post_story WHERE post_id IN ${list.sql}`, params: list.params };
  }
}

/** Date ranges a statement reads (two parameters each). */
const RANGES_PER_STATEMENT = 200;

/** The window around each date, merged where they overlap: what a batch's candidates may be dated. */
export function windows(dates: readonly number[]): [number, number][] {
  const sorted = [...dates].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (last && d - SAME_STORY_WINDOW_MS <= last[1]) last[1] = d + SAME_STORY_WINDOW_MS;
    else out.push([d - SAME_STORY_WINDOW_MS, d + SAME_STORY_WINDOW_MS]);
  }
  return out;
}

/**
 * Records these posts (new, or rewritten and forgotten first): their signatures, then the pairs
 * they make with every stored post, each other included. The stored posts within the window of
 * any of them are read (one index range per stretch of dates), and candidates are those that
 * share a band key with a post of the batch; the similarity and the dates decide.
 */
export function* recordStories(posts: readonly StoryPost[]): Program<number> {
  const signed = posts
    .filter((p) => p.signature !== null)
    .map((p) => ({ id: p.id, dateMs: p.dateMs, bytes: p.signature!, sig: signatureFromBytes(p.signature!) }));
  if (signed.length === 0) return 0;
  yield* insertRows(
    'post_story',
    ['post_id', 'date_ms', 'signature'],
    signed.map((p) => [
      p.id,
      p.dateMs,
      Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString('base64'),
    ]),
  );
  // Which of the batch's posts have each band key.
  const wanted = new Map<number, typeof signed>();
  for (const p of signed)
    for (const key of bandKeys(p.sig)) {
      const list = wanted.get(key);
      if (list) list.push(p);
      else wanted.set(key, [p]);
    }
  const pairs = new Map<string, [number, number]>();
  for (const part of chunks(windows(signed.map((p) => p.dateMs)), RANGES_PER_STATEMENT)) {
    const rows = yield {
      sql: `SELECT post_id AS id, date_ms AS d, signature AS sig FROM post_story
            WHERE ${part.map(() => '(date_ms >= ? AND date_ms <= ?)').join(' OR ')}`,
      params: part.flat(),
    };
    for (const r of rows) {
      const other = { id: Number(r.id), dateMs: Number(r.d), sig: storedSignature(r.sig) };
      for (const key of bandKeys(other.sig))
        for (const p of wanted.get(key) ?? []) {
          if (p.id === other.id || !sameStory(p, other)) continue;
          pairs.set(`${p.id} ${other.id}`, [p.id, other.id]);
          pairs.set(`${other.id} ${p.id}`, [other.id, p.id]);
        }
    }
  }
  yield* insertRows('post_same_story', ['post_id', 'other_id'], [...pairs.values()], 'ON CONFLICT DO NOTHING');
  return pairs.size / 2;
}

/** Posts read per page when every signature is made again from the stored text. */
const REBUILD_PAGE = 1000;

/**
 * Every story made again from the stored posts (`newsgraph reindex`, the migration that brought
 * stories in): signatures from each post's stored text, then the pairs.
 */
export function* rebuildStories(): Program<void> {
  yield { sql: 'DELETE FROM post_same_story', params: [] };
  yield { sql: 'DELETE FROM post_story', params: [] };
  for (let after = 0; ;) {
    const rows = yield {
      sql: `SELECT id, date_ms AS d, text FROM post WHERE id > ? ORDER BY id LIMIT ${REBUILD_PAGE}`,
      params: [after],
    };
    if (rows.length === 0) return;
    yield* recordStories(
      rows.map((r) => {
        const sig = storySignature(unpackText(r.text as StoredText, `post ${String(r.id)}`));
        return { id: Number(r.id), dateMs: Number(r.d), signature: sig && signatureBytes(sig) };
      }),
    );
    after = Number(rows[rows.length - 1].id);
  }
}
