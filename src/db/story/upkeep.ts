import {
  bandKeys,
  SAME_STORY_WINDOW_MS,
  sameStory,
  signatureBytes,
  signatureFromBytes,
  storySignature,
} from '../../ingest/story/signature';
import { unpackText, type StoredText } from '../../ingest/render/packed';
import { inList, placeholders } from '../sql-runner';
import { chunks, Program } from '../related/program';
import type { BatchPlan } from '../writes/plan';

// Story clusters in the database (docs/contract.md, "Story clusters"), as programs both writers
// run (../related/program.ts). `post_story` holds each signed post's signature and date,
// `post_story_band` its 16 band keys (with the date, so a candidate lookup reads one key's posts
// of a few days), `post_same_story` both directions of every pair that tells the same story.
// A pair depends only on its two posts, so the pairs never depend on the order of imports.

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

/** Rows per multi-row INSERT (3 parameters each, far below both databases' limits). */
const ROWS_PER_INSERT = 500;
/** Ids or keys per IN list. */
const IDS_PER_STATEMENT = 1000;

function* insertRows(table: string, columns: string[], rows: unknown[][], conflict: string): Program<void> {
  for (const part of chunks(rows, ROWS_PER_INSERT)) {
    const values = part.map(() => `(${placeholders(columns.length)})`).join(', ');
    yield {
      sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values} ${conflict}`,
      params: part.flat(),
    };
  }
}

/**
 * Deletes rows by their whole primary key, a chunk a statement. The values are cast: PostgreSQL
 * types a VALUES list by its own contents, not by the columns it is compared with.
 */
function* deleteRows(table: string, columns: [string, 'INTEGER' | 'BIGINT'][], rows: unknown[][]): Program<void> {
  const row = `(${columns.map(([, type]) => `CAST(? AS ${type})`).join(', ')})`;
  for (const part of chunks(rows, ROWS_PER_INSERT)) {
    const values = part.map(() => row).join(', ');
    yield {
      sql: `DELETE FROM ${table} WHERE (${columns.map(([c]) => c).join(', ')}) IN (VALUES ${values})`,
      params: part.flat(),
    };
  }
}

/** Signatures are stored as base64 text: one column type that both databases hold alike. */
const storedSignature = (value: unknown) => signatureFromBytes(Buffer.from(String(value), 'base64'));

const bandRows = (p: { id: number; dateMs: number }, sig: Uint16Array) =>
  bandKeys(sig).map((key) => [key, p.dateMs, p.id]);

/** Removes what the stories hold of these posts (rewritten or removed): signature, bands, pairs. */
export function* forgetStories(ids: readonly number[]): Program<void> {
  for (const part of chunks(ids, IDS_PER_STATEMENT)) {
    const list = inList(part);
    const stored = yield {
      sql: `SELECT post_id AS id, date_ms AS d, signature AS sig FROM post_story WHERE post_id IN ${list.sql}`,
      params: list.params,
    };
    // Band rows by their whole key (no index on post_id needed), pairs' other direction likewise.
    const bands = stored.flatMap((r) => bandRows({ id: Number(r.id), dateMs: Number(r.d) }, storedSignature(r.sig)));
    yield* deleteRows(
      'post_story_band',
      [
        ['band_key', 'INTEGER'],
        ['date_ms', 'BIGINT'],
        ['post_id', 'INTEGER'],
      ],
      bands,
    );
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

/**
 * Records these posts (new, or rewritten and forgotten first): their signatures and bands, then
 * the pairs they make with every stored post, each other included. Candidates are the posts that
 * share a band key within the window; the similarity decides.
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
    '',
  );
  yield* insertRows(
    'post_story_band',
    ['band_key', 'date_ms', 'post_id'],
    signed.flatMap((p) => bandRows(p, p.sig)),
    'ON CONFLICT DO NOTHING',
  );
  // Which of the batch's posts want each key, and the dates the lookup must cover.
  const wanted = new Map<number, typeof signed>();
  for (const p of signed)
    for (const key of bandKeys(p.sig)) {
      const list = wanted.get(key);
      if (list) list.push(p);
      else wanted.set(key, [p]);
    }
  const from = Math.min(...signed.map((p) => p.dateMs)) - SAME_STORY_WINDOW_MS;
  const to = Math.max(...signed.map((p) => p.dateMs)) + SAME_STORY_WINDOW_MS;
  const pairs = new Map<string, [number, number]>();
  const signatures = new Map<number, Uint16Array>();
  for (const part of chunks([...wanted.keys()], IDS_PER_STATEMENT)) {
    const list = inList(part);
    const rows = yield {
      sql: `SELECT b.band_key AS k, b.post_id AS id, b.date_ms AS d, s.signature AS sig
            FROM post_story_band b JOIN post_story s ON s.post_id = b.post_id
            WHERE b.band_key IN ${list.sql} AND b.date_ms >= ? AND b.date_ms <= ?`,
      params: [...list.params, from, to],
    };
    for (const r of rows) {
      const id = Number(r.id);
      let sig = signatures.get(id);
      if (!sig) signatures.set(id, (sig = storedSignature(r.sig)));
      const other = { id, dateMs: Number(r.d), sig };
      for (const p of wanted.get(Number(r.k)) ?? []) {
        if (p.id === id || !sameStory(p, other)) continue;
        pairs.set(`${p.id} ${id}`, [p.id, id]);
        pairs.set(`${id} ${p.id}`, [id, p.id]);
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
  yield { sql: 'DELETE FROM post_story_band', params: [] };
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
