import type { Pool } from 'pg';
import { entities, PostChangeEntity, PostEntity, SourceFileEntity } from '../../entities';
import type { FileOutcome } from '../../ingest/types';
import { columnName, columnsOf, tableOf, writtenColumns, type ColumnSpec } from '../schema/columns';
import {
  reportOf,
  REPORTED_STATUSES,
  type ArchiveWriter,
  type BatchCounts,
  type Candidate,
  type PendingFile,
  type ReportEntry,
  type ScheduledFiles,
  type SourceFileRow,
} from './archive-writer';
import { pgArray, unnest, type PgType } from './pg-binary';
import { Pipeline, type Part } from './pg-pipeline';
import { tsvectorOf } from '../../ingest/search/tsvector';
import { insertPostLinksSql, rebuildPostLinksSql } from '../schema/post-links';
import { archivesOf, fileKey, planBatch, planPrune, reachableUrls, type BatchPlan, type StoredPost } from './plan';
import {
  addLinkRows,
  emptyLinkRows,
  ENTITY,
  FILE_ROW_COLUMNS,
  ENTITY_KINDS,
  LINK,
  linkChanges,
  postValues,
  STORED_POST_COLUMNS,
  type EntityIds,
  type EntityKind,
} from './rows';
import {
  READ_MODEL_TABLES,
  entityCountDelta,
  ownLinkChanges,
  readModelDelta,
  REBUILD_ALL,
  POST_LINKS_STEP,
  RELATED_STEP,
  STORY_STEP,
  type LinkChange,
  type ReadModelChange,
  type ReadModelDelta,
  type ReadModelTable,
} from './read-model';
import {
  changesKeepDays,
  dropExpired,
  FEED_CHANNEL,
  feedRows,
  plannedChanges,
  takeSeqs,
  type PlannedChange,
} from './change-feed';
import { outranksFile } from './rules';
import { runAsync, withNumbered, type Program, type Row as ProgramRow } from '../related/program';
import { filesGone } from './prune-scan';
import { rebuildRelatedLists } from '../related/rebuild';
import { RelatedUpkeep } from '../related/upkeep';
import { forgetStories, rebuildStories, recordStories, storyPosts } from '../story/upkeep';
import { SourceFilePages } from './source-file-pages';
import { BUMP_WRITE_STAMP } from './write-stamp';

/** The `post_links` rows of the posts written (their ids the one parameter). */
const WRITE_POST_LINKS = insertPostLinksSql('postgres', 'p.id = ANY($1::int[])');

/** Posts per search-vector INSERT (see `execute`). */
const SEARCH_SLICE = 50;

type Row = Record<string, unknown>;

const PG_TYPE: Record<ColumnSpec['type'], PgType> = { integer: 'int', bigint: 'bigint', text: 'text' };

/** Rows as typed array parameters, one per column: `unnest(...) AS v(col, …)`. */
function rowsParam(cols: ColumnSpec[], rows: readonly object[], ordinality = false) {
  return unnest(
    cols.map((c) => [c.column, PG_TYPE[c.type], rows.map((r) => (r as Row)[c.property] ?? null)]),
    ordinality,
  );
}

/** Every table an import writes (the entities' and the search index): the read queries plan over them. */
const ANALYZED_TABLES = [...entities.map(tableOf), 'post_search'];

/** A file row as PostgreSQL returns it (bigints may arrive as strings). */
function fileRow(r: Row): SourceFileRow {
  return {
    id: r.id as number,
    size: Number(r.size),
    mtimeMs: Number(r.mtimeMs),
    fileHash: r.fileHash as string,
    status: r.status as string,
    reason: r.reason as string | null,
    url: r.url as string | null,
    publishAtMs: r.publishAtMs === null || r.publishAtMs === undefined ? null : Number(r.publishAtMs),
  };
}

/**
 * Executes import plans on PostgreSQL: a batch's snapshot in two round trips, then a few
 * multi-row statements per table (array parameters in binary), pipelined so that the server
 * works while the next statement is prepared.
 */
export class PgWriter implements ArchiveWriter {
  /** Entity ids by key, kept across batches (dropped with a rolled-back transaction). */
  private readonly ids: EntityIds = {
    category: new Map(),
    tag: new Map(),
    stock: new Map(),
    board: new Map(),
    organization: new Map(),
  };
  private readonly roots = new Map<number, string>();
  readonly orphanUrls = new Set<string>();
  /** The last import's files, a page at a time (dropped on every write). */
  private readonly files = new SourceFilePages(async (archiveId, from, limit) => {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${FILE_ROW_COLUMNS} FROM source_file f WHERE f.archive_id = $1 AND f.path >= $2 ORDER BY f.path LIMIT ${limit}`,
      [archiveId, from],
    );
    return rows.map((r) => ({ ...fileRow(r), path: r.path as string }));
  });
  /** Whether the server compresses with lz4 (PostgreSQL 14+ built with it); asked once. */
  private lz4: Promise<boolean> | null = null;
  /** Something was committed since the last `finish`. */
  private wroteAny = false;

  private readonly related = new RelatedUpkeep();
  private readonly keepDays = changesKeepDays();

  constructor(private readonly pool: Pool) {}

  private run<T>(p: Pipeline, program: Program<T>): Promise<T> {
    return runAsync(
      withNumbered((sql, params) => p.query(sql, params)),
      program,
    );
  }

  /**
   * Runs `fn` in one transaction on one client; on failure the id cache is dropped with the
   * rolled-back rows. `fn` says whether it wrote (then `finish` refreshes statistics).
   */
  private async tx<T>(fn: (p: Pipeline) => Promise<{ result: T; wrote: boolean }>): Promise<T> {
    this.lz4 ??= this.pool
      .query(`SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`)
      .then((r) => r.rows.length > 0);
    const lz4 = await this.lz4;
    const c = await this.pool.connect();
    const p = new Pipeline(c);
    let broken: Error | undefined;
    try {
      // JIT: a batch's statements run once each, and their estimated costs crossed jit_above_cost:
      // compiling took 250 ms of a 290 ms recount. Bodies, renderings and search vectors are
      // TOASTed: pglz took half of a post insert's server time, lz4 a fifth of that.
      p.send(`BEGIN; SET LOCAL jit = off${lz4 ? '; SET LOCAL default_toast_compression = lz4' : ''}`);
      const { result, wrote } = await fn(p);
      this.wroteAny ||= wrote;
      if (wrote) p.send(BUMP_WRITE_STAMP);
      p.send('COMMIT');
      await p.done();
      return result;
    } catch (err) {
      try {
        await p.rollback();
      } catch (e) {
        broken = e as Error; // the connection is unusable: the pool must not hand it out again
      }
      for (const map of Object.values(this.ids)) map.clear();
      throw err;
    } finally {
      c.release(broken);
      this.files.drop();
    }
  }

  /**
   * Fresh planner statistics once an import wrote: autovacuum gets to it minutes later, and until
   * then the read queries were planned for an empty database (related coverage took 0.5 s instead
   * of 30 ms at 20k posts: hash joins over whole tables).
   */
  async finish(): Promise<void> {
    // Every post's related posts ranked, if this import deferred it (see RelatedUpkeep).
    const query = withNumbered(async (sql, params) => (await this.pool.query(sql, params)).rows as ProgramRow[]);
    if (await runAsync(query, this.related.finish())) {
      await this.tx(async (p) => {
        await this.run(p, this.related.rerank());
        return { result: undefined, wrote: true };
      });
    }
    if (!this.wroteAny) return;
    this.wroteAny = false;
    await this.pool.query(`ANALYZE ${ANALYZED_TABLES.join(', ')}`);
  }

  async archive(root: string, configHash: string): Promise<{ id: number; configChanged: boolean }> {
    const { rows } = await this.pool.query<{ id: number; config_hash: string }>(
      'SELECT id, config_hash FROM archive WHERE root = $1',
      [root],
    );
    if (rows.length) {
      this.roots.set(rows[0].id, root);
      return { id: rows[0].id, configChanged: rows[0].config_hash !== configHash };
    }
    const id = await this.tx(async (p) => {
      const [row] = await p.query('INSERT INTO archive (root, config_hash) VALUES ($1, $2) RETURNING id', [
        root,
        configHash,
      ]);
      return { result: row.id as number, wrote: true };
    });
    this.roots.set(id, root);
    return { id, configChanged: true };
  }

  async saveConfigHash(archiveId: number, configHash: string): Promise<void> {
    await this.tx(async (p) => {
      await p.query('UPDATE archive SET config_hash = $1 WHERE id = $2', [configHash, archiveId]);
      return { result: undefined, wrote: true };
    });
  }

  async orphanedDuplicateUrls(): Promise<string[]> {
    const { rows } = await this.pool.query<{ url: string }>(
      `SELECT DISTINCT f.url FROM source_file f WHERE f.status = 'duplicate' AND f.url IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM post p WHERE p.url = f.url) ORDER BY f.url`,
    );
    return rows.map((r) => r.url);
  }

  file(archiveId: number, path: string): Promise<SourceFileRow | undefined> {
    return Promise.resolve(this.files.file(archiveId, path));
  }

  async dueScheduled(archiveId: number, nowMs: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ path: string }>(
      `SELECT path FROM source_file WHERE archive_id = $1 AND publish_at_ms IS NOT NULL AND publish_at_ms <= $2 ORDER BY path`,
      [archiveId, nowMs],
    );
    return rows.map((r) => r.path);
  }

  async scheduled(archiveId: number): Promise<ScheduledFiles> {
    const { rows } = await this.pool.query<{ count: string; nextMs: string | null }>(
      `SELECT count(*) AS count, min(publish_at_ms) AS "nextMs" FROM source_file WHERE archive_id = $1 AND publish_at_ms IS NOT NULL`,
      [archiveId],
    );
    return { count: Number(rows[0].count), nextMs: rows[0].nextMs === null ? null : Number(rows[0].nextMs) };
  }

  async candidatesFor(url: string): Promise<Candidate[]> {
    const { rows } = await this.pool.query<Candidate>(
      `SELECT f.archive_id AS "archiveId", a.root, f.path FROM source_file f JOIN archive a ON a.id = f.archive_id
        WHERE f.url = $1 AND f.status = 'duplicate'`,
      [url],
    );
    return rows.sort((a, b) => (outranksFile(a, b) ? -1 : outranksFile(b, a) ? 1 : 0));
  }

  async report(
    archiveId: number,
  ): Promise<{ skipped: ReportEntry[]; failed: ReportEntry[]; duplicates: ReportEntry[] }> {
    const { rows } = await this.pool.query<{ path: string; status: string; reason: string | null }>(
      `SELECT path, status, reason FROM source_file WHERE archive_id = $1 AND status IN ${REPORTED_STATUSES} ORDER BY path`,
      [archiveId],
    );
    return reportOf(rows);
  }

  async rebuildReadModel(onStep?: (step: string, index: number, total: number) => void): Promise<void> {
    await this.tx(async (p) => {
      const total = REBUILD_ALL.length + 3;
      for (const [i, { step, sql }] of REBUILD_ALL.entries()) {
        onStep?.(step, i, total);
        await p.query(sql);
      }
      onStep?.(POST_LINKS_STEP, total - 3, total);
      for (const sql of rebuildPostLinksSql('postgres')) await p.query(sql);
      onStep?.(RELATED_STEP, total - 2, total);
      await this.run(p, rebuildRelatedLists());
      onStep?.(STORY_STEP, total - 1, total);
      await this.run(p, rebuildStories());
      return { result: undefined, wrote: true };
    });
    await this.finish();
  }

  async writeBatch(batch: PendingFile[]): Promise<BatchCounts> {
    if (batch.length === 0) return { new: 0, updated: 0, unchanged: 0, removed: 0 };
    const items = batch.map((it) => ('touch' in it ? it : { meta: it.meta, outcome: cleanOutcome(it.outcome) }));
    return this.tx(async (p) => {
      const v = unnest([
        ['archive_id', 'int', items.map((i) => i.meta.archiveId)],
        ['path', 'text', items.map((i) => i.meta.path)],
      ]);
      const known = await p.query(
        `SELECT ${FILE_ROW_COLUMNS} FROM source_file f JOIN ${v.from} ON f.archive_id = v.archive_id AND f.path = v.path`,
        v.args,
      );
      const files = new Map(known.map((r) => [fileKey(r as { archiveId: number; path: string }), fileRow(r)]));
      const posts = await this.storedPosts(p, reachableUrls(items, files));
      const roots = await this.rootsOf(archivesOf(items, posts.values()));
      const plan = planBatch(items, { files, posts, roots });
      await this.execute(p, plan);
      return { result: plan.counts, wrote: true };
    });
  }

  async prune(
    archiveId: number,
    exists: (path: string) => boolean,
    under?: readonly string[],
  ): Promise<{ paths: string[]; removed: number }> {
    return this.tx(async (p) => {
      const gone = await this.run(p, filesGone(archiveId, exists, under));
      if (gone.length === 0) return { result: { paths: [], removed: 0 }, wrote: false };
      const posts = await this.storedPosts(
        p,
        gone.flatMap((f) => (f.status === 'post' && f.url ? [f.url] : [])),
      );
      const plan = planPrune(archiveId, gone, posts);
      await this.execute(p, plan);
      return { result: { paths: gone.map((f) => f.path), removed: plan.counts.removed }, wrote: true };
    });
  }

  /** The post at each permalink, null where there is none. */
  private async storedPosts(p: Pipeline, urls: string[]): Promise<Map<string, StoredPost | null>> {
    if (urls.length === 0) return new Map();
    const rows = await p.query(`SELECT ${STORED_POST_COLUMNS} FROM post p WHERE p.url = ANY($1::text[])`, [
      pgArray('text', urls),
    ]);
    const found = new Map(
      rows.map((r) => [r.url as string, { ...(r as unknown as StoredPost), dateMs: Number(r.dateMs) }]),
    );
    return new Map(urls.map((url) => [url, found.get(url) ?? null]));
  }

  private async rootsOf(archiveIds: number[]): Promise<Map<number, string>> {
    const missing = archiveIds.filter((id) => !this.roots.has(id));
    if (missing.length) {
      const { rows } = await this.pool.query<{ id: number; root: string }>(
        'SELECT id, root FROM archive WHERE id = ANY($1::int[])',
        [missing],
      );
      for (const r of rows) this.roots.set(r.id, r.root);
    }
    return this.roots;
  }

  /** Writes a plan: entities, old links out, posts, new links, files, names, then the counts it moved. */
  private async execute(p: Pipeline, plan: BatchPlan): Promise<void> {
    for (const url of plan.orphanUrls) this.orphanUrls.add(url);
    await this.resolveEntities(p, plan);
    const removed: LinkChange[] = [...plan.oldOwnLinks];
    const holders = await this.run(p, this.related.before(plan.unlink));
    await this.run(p, forgetStories(plan.unlink));
    const unlinked = this.unlink(p, plan, removed);
    if (plan.removeFiles.length) {
      p.send('DELETE FROM source_file WHERE id = ANY($1::int[])', [pgArray('int', plan.removeFiles)]);
    }

    // Posts: rewritten in place, new ones inserted in plan order (their ids come back by permalink).
    const postColumns = writtenColumns(PostEntity);
    const values = plan.posts.map((w) => {
      const publisher = w.rec.extraction.publisher;
      const publisherId = publisher ? this.ids.organization.get(publisher)! : null;
      return postValues(w.meta, w.rec, publisherId, false);
    });
    const rewritten = plan.posts.flatMap((w, i) => (w.id !== null ? [{ id: w.id, ...values[i] }] : []));
    if (rewritten.length) {
      const cols = [
        columnsOf(PostEntity).find((c) => c.generated)!,
        ...postColumns.filter((c) => c.property !== 'url'),
      ];
      const v = rowsParam(cols, rewritten);
      p.send(
        `UPDATE post p SET ${cols
          .slice(1)
          .map((c) => `${c.column} = v.${c.column}`)
          .join(', ')} FROM ${v.from} WHERE p.id = v.id`,
        v.args,
      );
    }
    const fresh = values.filter((_, i) => plan.posts[i].id === null);
    const inserted = fresh.length
      ? (() => {
          const v = rowsParam(postColumns, fresh, true);
          const names = postColumns.map((c) => c.column).join(', ');
          return p.ask(
            `INSERT INTO post (${names}) SELECT ${names} FROM ${v.from} ORDER BY ord RETURNING id, url`,
            v.args,
          );
        })()
      : Promise.resolve([]);
    const newIds = new Map((await inserted).map((r) => [r.url as string, r.id as number]));
    await unlinked;
    const ids = plan.posts.map((w) => w.id ?? newIds.get(w.rec.url)!);

    const parts: Part[] = [];
    const links = emptyLinkRows();
    plan.posts.forEach((w, i) => addLinkRows(links, ids[i], w.rec, this.ids));
    for (const kind of ENTITY_KINDS) {
      if (links[kind].length === 0) continue;
      const cols = writtenColumns(LINK[kind].entity);
      const v = rowsParam(cols, links[kind]);
      parts.push({
        sql: `INSERT INTO ${tableOf(LINK[kind].entity)} (${cols.map((c) => c.column).join(', ')}) SELECT * FROM ${v.from}`,
        args: v.args,
      });
    }
    const added = linkChanges(links);
    plan.posts.forEach((w, i) => added.push(...ownLinkChanges(ids[i], w.rec.dateMs, values[i].publisherId)));
    const delta = readModelDelta(removed, added);
    parts.push(...this.fileWrites(plan), ...this.fills(plan), ...readModelWrites(delta));
    p.sendTogether(parts);
    // Apart: a statement's CTEs do not see each other's rows, and this reads the links just written.
    if (ids.length) p.send(WRITE_POST_LINKS, [pgArray('int', ids)]);
    p.sendTogether([...countMoves(entityCountDelta(removed, added)), ...readModelCleanup(delta)]);
    // Last, in slices: the vectors are the most JS work of a batch and their insert the most server
    // work (the GIN index), so the server inserts a slice while the next one is built.
    for (let i = 0; i < plan.posts.length; i += SEARCH_SLICE) {
      const slice = plan.posts.slice(i, i + SEARCH_SLICE);
      const v = unnest([
        ['post_id', 'int', ids.slice(i, i + SEARCH_SLICE)],
        ['tsv', 'tsvector', slice.map((w) => tsvectorOf(w.rec.searchTokens))],
      ]);
      p.send(`INSERT INTO post_search (post_id, tsv) SELECT * FROM ${v.from}`, v.args);
      await new Promise(setImmediate); // let the slice go out before building the next
    }
    await this.run(p, recordStories(storyPosts(plan, ids)));
    // Last: the ranking reads the counts just written (the pipeline keeps statements in order).
    await this.run(p, this.related.after({ written: ids, unlinked: plan.unlink, removed: plan.remove }, holders));
    // After everything else: the feed's counter row stays locked until the commit.
    await this.appendChanges(p, plannedChanges(plan, ids));
    await p.done();
  }

  /** The batch's changes appended to the feed, numbered in plan order; expired ones dropped. */
  private async appendChanges(p: Pipeline, changes: PlannedChange[]): Promise<void> {
    if (changes.length === 0) return;
    const at = Date.now();
    const last = await this.run(p, takeSeqs(changes.length));
    const rows = feedRows(changes, last, at);
    const cols = writtenColumns(PostChangeEntity);
    const v = rowsParam(cols, rows);
    p.send(`INSERT INTO post_change (${cols.map((c) => c.column).join(', ')}) SELECT * FROM ${v.from}`, v.args);
    p.send('SELECT pg_notify($1, $2)', [FEED_CHANNEL, String(last)]);
    await this.run(p, dropExpired(this.keepDays, at));
  }

  /** Deletes the link and search rows of the posts a plan unlinks (marking what they pointed at), then the posts it removes. */
  private async unlink(p: Pipeline, plan: BatchPlan, removed: LinkChange[]): Promise<void> {
    if (plan.unlink.length === 0) return;
    const deletes = ENTITY_KINDS.map((k) => {
      const { entity, target } = LINK[k];
      return `d_${k} AS (DELETE FROM ${tableOf(entity)} WHERE post_id = ANY($1::int[])
                RETURNING post_id, ${columnName(entity, target)} AS id, date_ms)`;
    });
    // Both sent before the first wait: later statements may insert posts at the freed permalinks.
    const rows = p.ask(
      `WITH ${deletes.join(', ')}, s AS (DELETE FROM post_search WHERE post_id = ANY($1::int[])),
       l AS (DELETE FROM post_links WHERE post_id = ANY($1::int[]))
       ${ENTITY_KINDS.map((k) => `SELECT '${k}' AS kind, post_id, id, date_ms FROM d_${k}`).join(' UNION ALL ')}`,
      [pgArray('int', plan.unlink)],
    );
    if (plan.remove.length) p.send('DELETE FROM post WHERE id = ANY($1::int[])', [pgArray('int', plan.remove)]);
    for (const r of await rows) {
      const kind = r.kind as EntityKind;
      removed.push({ kind, entityId: r.id as number, postId: r.post_id as number, dateMs: Number(r.date_ms) });
    }
  }

  /** Ids of every entity the plan names, the missing inserted in first-seen order. */
  private async resolveEntities(p: Pipeline, plan: BatchPlan): Promise<void> {
    for (const kind of ENTITY_KINDS) {
      const known = this.ids[kind];
      const want = [...(plan.entities[kind] as Map<string, Row>)].filter(([k]) => !known.has(k));
      if (want.length) {
        const { entity, key } = ENTITY[kind];
        const table = tableOf(entity);
        const cols = writtenColumns(entity).filter((c) => c.property in want[0][1]);
        const keyColumn = columnName(entity, key);
        const names = cols.map((c) => c.column).join(', ');
        const v = rowsParam(
          cols,
          want.map(([, values]) => values),
          true,
        );
        // Only the missing are inserted, in order; ON CONFLICT for a row another writer added meanwhile.
        let found = await p.query(
          `WITH v AS (SELECT * FROM ${v.from}),
                old AS (SELECT t.id, t.${keyColumn} AS key FROM ${table} t WHERE t.${keyColumn} IN (SELECT ${keyColumn} FROM v)),
                ins AS (INSERT INTO ${table} (${names})
                        SELECT ${names} FROM v WHERE NOT EXISTS (SELECT 1 FROM old WHERE old.key = v.${keyColumn}) ORDER BY ord
                        ON CONFLICT DO NOTHING RETURNING id, ${keyColumn} AS key)
           SELECT id, key FROM old UNION ALL SELECT id, key FROM ins`,
          v.args,
        );
        if (found.length < want.length) {
          // Another writer inserted one after our snapshot began (ON CONFLICT skipped it): read it now.
          found = await p.query(`SELECT id, ${keyColumn} AS key FROM ${table} WHERE ${keyColumn} = ANY($1::text[])`, [
            pgArray(
              'text',
              want.map(([k]) => k),
            ),
          ]);
        }
        for (const r of found) known.set(r.key as string, r.id as number);
      }
    }
  }

  /** The batch's files as it leaves them (upserted), and the files outside it that became duplicates. */
  private fileWrites(plan: BatchPlan): Part[] {
    const parts: Part[] = [];
    if (plan.files.length) {
      const cols = writtenColumns(SourceFileEntity);
      const v = rowsParam(cols, plan.files);
      const names = cols.map((c) => c.column);
      const set = names.filter((n) => n !== 'archive_id' && n !== 'path').map((n) => `${n} = excluded.${n}`);
      parts.push({
        sql: `INSERT INTO source_file (${names.join(', ')}) SELECT * FROM ${v.from}
              ON CONFLICT (archive_id, path) DO UPDATE SET ${set.join(', ')}`,
        args: v.args,
      });
    }
    if (plan.duplicateMarks.length) {
      const m = plan.duplicateMarks;
      const v = unnest([
        ['archive_id', 'int', m.map((x) => x.archiveId)],
        ['path', 'text', m.map((x) => x.path)],
        ['reason', 'text', m.map((x) => x.reason)],
      ]);
      parts.push({
        sql: `UPDATE source_file f SET status = 'duplicate', reason = v.reason FROM ${v.from}
               WHERE f.archive_id = v.archive_id AND f.path = v.path`,
        args: v.args,
      });
    }
    return parts;
  }

  /** Names and issuers filled where still empty; category titles set by their pages. */
  private fills(plan: BatchPlan): Part[] {
    const { ids } = this;
    const parts: Part[] = [];
    // A stock's name and issuer in one UPDATE: a statement must not update a row twice.
    const symbols = [...new Set([...plan.stockNames.keys(), ...plan.stockIssuers.keys()])];
    if (symbols.length) {
      const v = unnest([
        ['id', 'int', symbols.map((s) => ids.stock.get(s))],
        ['name', 'text', symbols.map((s) => plan.stockNames.get(s))],
        [
          'org',
          'int',
          symbols.map((s) => (plan.stockIssuers.has(s) ? ids.organization.get(plan.stockIssuers.get(s)!) : null)),
        ],
      ]);
      parts.push({
        sql: `UPDATE stock t SET name = coalesce(t.name, v.name), organization_id = coalesce(t.organization_id, v.org)
                FROM ${v.from}
               WHERE t.id = v.id AND ((t.name IS NULL AND v.name IS NOT NULL) OR (t.organization_id IS NULL AND v.org IS NOT NULL))`,
        args: v.args,
      });
    }
    const set = (table: string, col: string, values: [number, string][], when: string) => {
      if (values.length === 0) return;
      const v = unnest([
        ['id', 'int', values.map(([id]) => id)],
        ['value', 'text', values.map(([, value]) => value)],
      ]);
      parts.push({
        sql: `UPDATE ${table} t SET ${col} = v.value FROM ${v.from} WHERE t.id = v.id AND ${when}`,
        args: v.args,
      });
    };
    set(
      'board',
      'name',
      [...plan.boardNames].map(([code, n]) => [ids.board.get(code)!, n]),
      't.name IS NULL',
    );
    set(
      'category',
      'title',
      [...plan.categoryTitles].map(([slug, t]) => [ids.category.get(slug)!, t]),
      't.title IS DISTINCT FROM v.value',
    );
    return parts;
  }
}

/** The key columns of a read-model table's changes as array parameters (`kind` is text, the rest integers). */
function changeKeys(name: ReadModelTable, changes: ReadModelChange[]) {
  return READ_MODEL_TABLES[name].key.map(
    (k, i) => [k, k === 'kind' ? 'text' : 'int', changes.map((c) => c.key[i])] as [string, PgType, unknown[]],
  );
}

const READ_MODEL_NAMES = Object.keys(READ_MODEL_TABLES) as ReadModelTable[];

/** Read-model rows moved by a batch, as upserts; the rows it brought to zero go after them (`readModelCleanup`). */
function readModelWrites(delta: ReadModelDelta): Part[] {
  return READ_MODEL_NAMES.filter((name) => delta[name].length).map((name) => {
    const { table, key, count } = READ_MODEL_TABLES[name];
    const v = unnest([...changeKeys(name, delta[name]), [count, 'int', delta[name].map((c) => c.by)]]);
    return {
      sql: `INSERT INTO ${table} AS t (${key.join(', ')}, ${count}) SELECT * FROM ${v.from}
            ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${count} = t.${count} + excluded.${count}`,
      args: v.args,
    };
  });
}

/** Read-model rows a batch brought to zero (sent after its upserts: a statement does not see its own CTEs' writes). */
function readModelCleanup(delta: ReadModelDelta): Part[] {
  return READ_MODEL_NAMES.flatMap((name) => {
    const { table, key, count } = READ_MODEL_TABLES[name];
    const down = delta[name].filter((c) => c.by < 0);
    if (down.length === 0) return [];
    const v = unnest(changeKeys(name, down));
    const match = key.map((k) => `t.${k} = v.${k}`).join(' AND ');
    return [{ sql: `DELETE FROM ${table} t USING ${v.from} WHERE ${match} AND t.${count} <= 0`, args: v.args }];
  });
}

/** Moves the post counts of the entities whose links the batch changed (read-model.ts, `entityCountDelta`). */
function countMoves(delta: Record<EntityKind, Map<number, number>>): Part[] {
  return ENTITY_KINDS.filter((k) => delta[k].size > 0).map((k) => {
    const { entity, count } = ENTITY[k];
    const col = columnName(entity, count);
    return {
      sql: `UPDATE ${tableOf(entity)} t SET ${col} = t.${col} + n.by
              FROM unnest($1::int[], $2::int[]) AS n(id, by) WHERE t.id = n.id`,
      args: [pgArray('int', [...delta[k].keys()]), pgArray('int', [...delta[k].values()])],
    };
  });
}

const noNul = (s: string) => (s.includes('\0') ? s.replace(/\0/g, '\uFFFD') : s);
const noNulOrNull = (s: string | null) => (s === null ? null : noNul(s));

/**
 * PostgreSQL text cannot hold U+0000 (SQLite's can): it becomes U+FFFD, as Markdown makes it in
 * bodies. Only the short strings YAML can fill with one (`title: "a\0b"`) are checked: a file with
 * a NUL byte is not read, so bodies and renderings never hold one.
 */
function cleanOutcome(o: FileOutcome): FileOutcome {
  if (o.kind === 'page') {
    return o.page
      ? { ...o, page: { ...o.page, category: noNul(o.page.category), title: noNulOrNull(o.page.title) } }
      : o;
  }
  if (o.kind !== 'post') return { ...o, reason: noNul(o.reason) };
  const r = o.record;
  const x = r.extraction;
  const strings = [
    r.title,
    r.slug,
    r.url,
    ...r.categories,
    ...r.tags,
    x.publisher ?? '',
    ...x.stocks.map((s) => s.name ?? ''),
    ...x.boards.map((b) => b.name ?? ''),
    ...x.organizations.map((g) => g.name),
  ];
  if (!strings.some((s) => s.includes('\0'))) return o;
  return {
    kind: 'post',
    record: {
      ...r,
      title: noNul(r.title),
      slug: noNul(r.slug),
      url: noNul(r.url),
      categories: r.categories.map(noNul),
      tags: r.tags.map(noNul),
      extraction: {
        publisher: noNulOrNull(x.publisher),
        stocks: x.stocks.map((s) => ({ ...s, name: noNulOrNull(s.name) })),
        boards: x.boards.map((b) => ({ ...b, name: noNulOrNull(b.name) })),
        organizations: x.organizations.map((g) => ({ ...g, name: noNul(g.name) })),
      },
    },
  };
}
