import type { Database, Statement } from 'better-sqlite3';
import { PostChangeEntity, PostEntity, SourceFileEntity } from '../../entities';
import { columnName, tableOf, writtenColumns, type EntityClass } from '../schema/columns';
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
import { archivesOf, fileKey, planBatch, planPrune, reachableUrls, type BatchPlan, type StoredPost } from './plan';
import {
  addLinkRows,
  emptyLinkRows,
  ENTITY,
  FILE_ROW_COLUMNS,
  fileRowsOf,
  ENTITY_KINDS,
  LINK,
  linkChanges,
  postValues,
  STORED_POST_COLUMNS,
  type EntityIds,
  type EntityKind,
} from './rows';
import {
  entityCountDelta,
  READ_MODEL_TABLES,
  ownLinkChanges,
  readModelDelta,
  REBUILD_ALL,
  POST_LINKS_STEP,
  RELATED_STEP,
  STORY_STEP,
  type LinkChange,
  type ReadModelDelta,
  type ReadModelTable,
} from './read-model';
import { changesKeepDays, dropExpired, feedRows, plannedChanges, takeSeqs, type PlannedChange } from './change-feed';
import { outranksFile } from './rules';
import { runSync, type Program } from '../related/program';
import { rebuildRelatedLists } from '../related/rebuild';
import { SourceFilePages } from './source-file-pages';
import { filesGone } from './prune-scan';
import { RelatedUpkeep } from '../related/upkeep';
import { forgetStories, rebuildStories, recordStories, storyPosts } from '../story/upkeep';
import { BUMP_WRITE_STAMP } from './write-stamp';
import { tokenText } from '../../ingest/search/tsvector';
import { insertPostLinksSql, rebuildPostLinksSql } from '../schema/post-links';

/** The `post_links` rows of the posts written (ids as a JSON array: one parameter for any batch). */
const WRITE_POST_LINKS = insertPostLinksSql('sqlite', 'p.id IN (SELECT value FROM json_each(?))');

type Row = Record<string, unknown>;

/**
 * Executes import plans on SQLite through prepared statements on the raw driver (TypeORM's
 * per-entity save runs at hundreds of rows/s), synchronously, each batch one transaction.
 */
export class SqliteWriter implements ArchiveWriter {
  private readonly statements = new Map<string, Statement>();
  private readonly raws = new Map<string, Statement>();
  /** Entity ids by key, kept across batches (dropped with a rolled-back transaction). */
  private readonly ids: EntityIds = {
    category: new Map(),
    tag: new Map(),
    stock: new Map(),
    board: new Map(),
    organization: new Map(),
  };
  private readonly roots = new Map<number, string>();
  /** The last import's files, a page at a time (dropped on every write). */
  private readonly files = new SourceFilePages((archiveId, from, limit) =>
    fileRowsOf(
      this.rawStatement(
        `SELECT ${FILE_ROW_COLUMNS} FROM source_file f WHERE f.archive_id = ? AND f.path >= ? ORDER BY f.path LIMIT ?`,
      ).all(archiveId, from, limit) as unknown[][],
    ),
  );
  readonly orphanUrls = new Set<string>();
  private readonly related = new RelatedUpkeep();
  private readonly keepDays = changesKeepDays();

  constructor(private readonly db: Database) {}

  private run<T>(program: Program<T>): T {
    return runSync((sql) => this.s(sql), program);
  }

  /** Ranks every post's related posts if this import deferred it (see RelatedUpkeep). */
  finish(): void {
    if (this.run(this.related.finish())) this.transaction(() => this.run(this.related.rerank()));
  }

  /** A statement that returns rows as arrays, cached apart from the others. */
  private rawStatement(sql: string): Statement {
    let stmt = this.raws.get(sql);
    if (!stmt) this.raws.set(sql, (stmt = this.db.prepare(sql).raw(true)));
    return stmt;
  }

  private s(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  /**
   * Runs `fn` in one transaction, moving the write stamp if it wrote; on failure the id cache is
   * dropped with the rolled-back rows.
   */
  private transaction<T>(fn: () => T): T {
    const changes = this.s('SELECT total_changes() AS n');
    try {
      return this.db.transaction(() => {
        const before = (changes.get() as { n: number }).n;
        const result = fn();
        if ((changes.get() as { n: number }).n !== before) this.s(BUMP_WRITE_STAMP).run();
        return result;
      })();
    } catch (err) {
      for (const map of Object.values(this.ids)) map.clear();
      throw err;
    } finally {
      this.files.drop();
    }
  }

  archive(root: string, configHash: string): { id: number; configChanged: boolean } {
    return this.transaction(() => {
      const row = this.s('SELECT id, config_hash AS configHash FROM archive WHERE root = ?').get(root) as
        { id: number; configHash: string } | undefined;
      const id =
        row?.id ??
        Number(this.s('INSERT INTO archive (root, config_hash) VALUES (?, ?)').run(root, configHash).lastInsertRowid);
      this.roots.set(id, root);
      return { id, configChanged: row?.configHash !== configHash };
    });
  }

  saveConfigHash(archiveId: number, configHash: string): void {
    this.transaction(() => this.s('UPDATE archive SET config_hash = ? WHERE id = ?').run(configHash, archiveId));
  }

  orphanedDuplicateUrls(): string[] {
    const rows = this.s(
      `SELECT DISTINCT f.url FROM source_file f WHERE f.status = 'duplicate' AND f.url IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM post p WHERE p.url = f.url) ORDER BY f.url`,
    ).all();
    return (rows as { url: string }[]).map((r) => r.url);
  }

  file(archiveId: number, path: string): SourceFileRow | undefined {
    return this.files.file(archiveId, path) as SourceFileRow | undefined;
  }

  dueScheduled(archiveId: number, nowMs: number): string[] {
    const rows = this.s(
      `SELECT path FROM source_file WHERE archive_id = ? AND publish_at_ms IS NOT NULL AND publish_at_ms <= ? ORDER BY path`,
    ).all(archiveId, nowMs) as { path: string }[];
    return rows.map((r) => r.path);
  }

  scheduled(archiveId: number): ScheduledFiles {
    const row = this.s(
      `SELECT count(*) AS count, min(publish_at_ms) AS nextMs FROM source_file WHERE archive_id = ? AND publish_at_ms IS NOT NULL`,
    ).get(archiveId) as { count: number; nextMs: number | null };
    return { count: row.count, nextMs: row.nextMs };
  }

  candidatesFor(url: string): Candidate[] {
    const rows = this.s(
      `SELECT f.archive_id AS archiveId, a.root, f.path FROM source_file f JOIN archive a ON a.id = f.archive_id
                          WHERE f.url = ? AND f.status = 'duplicate'`,
    ).all(url) as Candidate[];
    return rows.sort((a, b) => (outranksFile(a, b) ? -1 : outranksFile(b, a) ? 1 : 0));
  }

  report(archiveId: number): { skipped: ReportEntry[]; failed: ReportEntry[]; duplicates: ReportEntry[] } {
    const rows = this.s(
      `SELECT path, status, reason FROM source_file WHERE archive_id = ? AND status IN ${REPORTED_STATUSES}
                          ORDER BY path`,
    ).all(archiveId);
    return reportOf(rows as { path: string; status: string; reason: string | null }[]);
  }

  rebuildReadModel(onStep?: (step: string, index: number, total: number) => void): void {
    const total = REBUILD_ALL.length + 3;
    this.transaction(() => {
      REBUILD_ALL.forEach(({ step, sql }, i) => {
        onStep?.(step, i, total);
        this.db.prepare(sql).run();
      });
      onStep?.(POST_LINKS_STEP, total - 3, total);
      for (const sql of rebuildPostLinksSql('sqlite')) this.db.prepare(sql).run();
      onStep?.(RELATED_STEP, total - 2, total);
      this.run(rebuildRelatedLists());
      onStep?.(STORY_STEP, total - 1, total);
      this.run(rebuildStories());
    });
  }

  writeBatch(batch: PendingFile[]): BatchCounts {
    return this.transaction(() => {
      const files = new Map<string, SourceFileRow>();
      for (const { meta } of batch) {
        const row = this.file(meta.archiveId, meta.path);
        if (row) files.set(fileKey(meta), row);
      }
      const posts = this.storedPosts(reachableUrls(batch, files));
      const roots = this.rootsOf(archivesOf(batch, posts.values()));
      const plan = planBatch(batch, { files, posts, roots });
      this.execute(plan);
      return plan.counts;
    });
  }

  prune(
    archiveId: number,
    exists: (path: string) => boolean,
    under?: readonly string[],
  ): { paths: string[]; removed: number } {
    return this.transaction(() => {
      const gone = this.run(filesGone(archiveId, exists, under));
      const posts = this.storedPosts(gone.flatMap((f) => (f.status === 'post' && f.url ? [f.url] : [])));
      const plan = planPrune(archiveId, gone, posts);
      this.execute(plan);
      return { paths: gone.map((f) => f.path), removed: plan.counts.removed };
    });
  }

  /** The post at each permalink, null where there is none. */
  private storedPosts(urls: string[]): Map<string, StoredPost | null> {
    const stmt = this.s(`SELECT ${STORED_POST_COLUMNS} FROM post p WHERE p.url = ?`);
    return new Map(urls.map((url) => [url, (stmt.get(url) as StoredPost | undefined) ?? null]));
  }

  private rootsOf(archiveIds: number[]): Map<number, string> {
    for (const id of archiveIds) {
      if (!this.roots.has(id)) {
        this.roots.set(id, (this.s('SELECT root FROM archive WHERE id = ?').get(id) as { root: string }).root);
      }
    }
    return this.roots;
  }

  /** Writes a plan: entities, old links out, posts, new links, files, names, then the counts it moved. */
  private execute(plan: BatchPlan): void {
    for (const url of plan.orphanUrls) this.orphanUrls.add(url);
    this.resolveEntities(plan);
    const removed: LinkChange[] = [...plan.oldOwnLinks];
    const holders = this.run(this.related.before(plan.unlink));
    for (const postId of plan.unlink) {
      for (const kind of ENTITY_KINDS) {
        const { entity, target } = LINK[kind];
        const rows = this.s(
          `DELETE FROM ${tableOf(entity)} WHERE post_id = ? RETURNING ${columnName(entity, target)} AS id, date_ms AS dateMs`,
        ).all(postId) as { id: number; dateMs: number }[];
        for (const r of rows) removed.push({ kind, entityId: r.id, postId, dateMs: r.dateMs });
      }
      this.s('DELETE FROM post_fts WHERE rowid = ?').run(postId);
      this.s('DELETE FROM post_links WHERE post_id = ?').run(postId);
    }
    this.run(forgetStories(plan.unlink));
    for (const id of plan.remove) this.s('DELETE FROM post WHERE id = ?').run(id);
    for (const id of plan.removeFiles) this.s('DELETE FROM source_file WHERE id = ?').run(id);

    const links = emptyLinkRows();
    const added: LinkChange[] = [];
    const written: number[] = [];
    const postColumns = writtenColumns(PostEntity);
    const insertPost = this.s(
      `INSERT INTO post (${postColumns.map((c) => c.column).join(', ')}) VALUES (${postColumns.map(() => '?').join(', ')})`,
    );
    // The permalink never changes: a post is found by it.
    const updated = postColumns.filter((c) => c.property !== 'url');
    const updatePost = this.s(`UPDATE post SET ${updated.map((c) => `${c.column} = ?`).join(', ')} WHERE id = ?`);
    const insertFts = this.s('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)');
    for (const w of plan.posts) {
      const publisher = w.rec.extraction.publisher;
      const row = postValues(w.meta, w.rec, publisher ? this.ids.organization.get(publisher)! : null, true) as Row;
      let id = w.id;
      if (id === null) id = Number(insertPost.run(...postColumns.map((c) => row[c.property])).lastInsertRowid);
      else updatePost.run(...updated.map((c) => row[c.property]), id);
      added.push(...ownLinkChanges(id, w.rec.dateMs, row.publisherId as number | null));
      written.push(id);
      addLinkRows(links, id, w.rec, this.ids);
      const tokens = tokenText(w.rec.searchTokens, w.meta.path);
      insertFts.run(id, tokens.title, tokens.body);
    }
    for (const kind of ENTITY_KINDS) this.insertRows(LINK[kind].entity, links[kind]);
    if (written.length) this.s(WRITE_POST_LINKS).run(JSON.stringify(written));
    this.run(recordStories(storyPosts(plan, written)));
    added.push(...linkChanges(links));
    this.applyReadModel(readModelDelta(removed, added));

    const fileColumns = writtenColumns(SourceFileEntity);
    const upsertFile = this.s(
      `INSERT INTO source_file (${fileColumns.map((c) => c.column).join(', ')}) VALUES (${fileColumns.map(() => '?').join(', ')})
       ON CONFLICT (archive_id, path) DO UPDATE SET ${fileColumns
         .filter((c) => c.property !== 'archiveId' && c.property !== 'path')
         .map((c) => `${c.column} = excluded.${c.column}`)
         .join(', ')}`,
    );
    for (const f of plan.files) upsertFile.run(...fileColumns.map((c) => (f as Row)[c.property]));
    const mark = this.s(`UPDATE source_file SET status = 'duplicate', reason = ? WHERE archive_id = ? AND path = ?`);
    for (const m of plan.duplicateMarks) mark.run(m.reason, m.archiveId, m.path);

    this.fill(plan);
    this.applyCounts(entityCountDelta(removed, added));
    // Last: the ranking reads the counts just written.
    this.run(this.related.after({ written, unlinked: plan.unlink, removed: plan.remove }, holders));
    this.appendChanges(plannedChanges(plan, written));
  }

  /** The batch's changes appended to the feed, numbered in plan order; expired ones dropped. */
  private appendChanges(changes: PlannedChange[]): void {
    if (changes.length === 0) return;
    const at = Date.now();
    this.insertRows(PostChangeEntity, feedRows(changes, this.run(takeSeqs(changes.length)), at));
    this.run(dropExpired(this.keepDays, at));
  }

  /** Read-model rows move by what the batch removed and added; rows brought to zero go. */
  private applyReadModel(delta: ReadModelDelta): void {
    for (const name of Object.keys(READ_MODEL_TABLES) as ReadModelTable[]) {
      const { table, key, count } = READ_MODEL_TABLES[name];
      const upsert = this
        .s(`INSERT INTO ${table} (${key.join(', ')}, ${count}) VALUES (${key.map(() => '?').join(', ')}, ?)
                             ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${count} = ${count} + excluded.${count}`);
      const drop = this.s(`DELETE FROM ${table} WHERE ${key.map((k) => `${k} = ?`).join(' AND ')} AND ${count} <= 0`);
      for (const c of delta[name]) {
        upsert.run(...c.key, c.by);
        if (c.by < 0) drop.run(...c.key);
      }
    }
  }

  private insertRows(entity: EntityClass, rows: object[]): void {
    if (rows.length === 0) return;
    const cols = writtenColumns(entity);
    const stmt = this.s(
      `INSERT INTO ${tableOf(entity)} (${cols.map((c) => c.column).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    );
    for (const row of rows) stmt.run(...cols.map((c) => (row as Row)[c.property]));
  }

  /** Ids of every entity the plan names, the missing inserted in first-seen order. */
  private resolveEntities(plan: BatchPlan): void {
    for (const kind of ENTITY_KINDS) {
      const { entity, key } = ENTITY[kind];
      const table = tableOf(entity);
      const find = this.s(`SELECT id FROM ${table} WHERE ${columnName(entity, key)} = ?`);
      const insert = (values: Row) => {
        const cols = writtenColumns(entity).filter((c) => c.property in values);
        const sql = `INSERT INTO ${table} (${cols.map((c) => c.column).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
        return Number(this.s(sql).run(...cols.map((c) => values[c.property])).lastInsertRowid);
      };
      for (const [k, values] of plan.entities[kind] as Map<string, Row>) {
        let id = this.ids[kind].get(k);
        if (id === undefined) {
          id = (find.get(k) as { id: number } | undefined)?.id ?? insert(values);
          this.ids[kind].set(k, id);
        }
      }
    }
  }

  /** Names and issuers filled where still empty; category titles set by their pages. */
  private fill(plan: BatchPlan): void {
    const name = this.s('UPDATE stock SET name = ? WHERE id = ? AND name IS NULL');
    for (const [symbol, n] of plan.stockNames) name.run(n, this.ids.stock.get(symbol));
    const issuer = this.s('UPDATE stock SET organization_id = ? WHERE id = ? AND organization_id IS NULL');
    for (const [symbol, org] of plan.stockIssuers)
      issuer.run(this.ids.organization.get(org), this.ids.stock.get(symbol));
    const board = this.s('UPDATE board SET name = ? WHERE id = ? AND name IS NULL');
    for (const [code, n] of plan.boardNames) board.run(n, this.ids.board.get(code));
    const title = this.s('UPDATE category SET title = ? WHERE id = ? AND title IS NOT ?');
    for (const [slug, t] of plan.categoryTitles) title.run(t, this.ids.category.get(slug), t);
  }

  /** Moves the post counts of the entities whose links the batch changed (read-model.ts, `entityCountDelta`). */
  private applyCounts(delta: Record<EntityKind, Map<number, number>>): void {
    for (const kind of ENTITY_KINDS) {
      if (delta[kind].size === 0) continue;
      const { entity, count } = ENTITY[kind];
      const col = columnName(entity, count);
      const stmt = this.s(`UPDATE ${tableOf(entity)} SET ${col} = ${col} + ? WHERE id = ?`);
      for (const [id, by] of delta[kind]) stmt.run(by, id);
    }
  }
}
