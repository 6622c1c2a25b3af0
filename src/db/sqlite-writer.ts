import type { Database, Statement } from 'better-sqlite3';
import type { FileOutcome, PostRecord, StockMention } from '../ingest/types';
import {
  mentionTotal,
  outranksFile,
  slugifyName,
  type ArchiveWriter,
  type BatchCounts,
  type FileMeta,
  type PendingFile,
  type ReportEntry,
  type SourceFileRow,
} from './archive-writer';

export type WriteResult = 'new' | 'updated' | 'unchanged' | 'duplicate' | 'recorded';

type EntityKind = 'category' | 'tag' | 'stock' | 'board' | 'organization';

/**
 * Set-based writes of import results through prepared statements on the raw driver (TypeORM's
 * per-entity save runs at hundreds of rows/s). The caller wraps batches in `transaction`.
 */
export class SqliteWriter implements ArchiveWriter {
  private readonly s: Record<string, Statement>;
  private readonly ids: Record<EntityKind, Map<string, number>> = {
    category: new Map(),
    tag: new Map(),
    stock: new Map(),
    board: new Map(),
    organization: new Map(),
  };
  /** Stocks/boards we know already carry a name or an issuer, so we skip needless updates. */
  private readonly named = new Set<string>();
  private readonly roots = new Map<number, string>();
  /** Entities whose counts must be recomputed at the end. */
  readonly touched: Record<EntityKind, Set<number>> = {
    category: new Set(),
    tag: new Set(),
    stock: new Set(),
    board: new Set(),
    organization: new Set(),
  };
  /** Permalinks whose owning file went away: a duplicate may have to take over. */
  readonly orphanUrls = new Set<string>();

  constructor(private readonly db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      archiveByRoot: p('SELECT id, config_hash AS configHash FROM archive WHERE root = ?'),
      archiveInsert: p('INSERT INTO archive (root, config_hash) VALUES (?, ?)'),
      archiveUpdate: p('UPDATE archive SET config_hash = ? WHERE id = ?'),
      archiveRoot: p('SELECT root FROM archive WHERE id = ?'),
      fileGet: p(`SELECT id, size, mtime_ms AS mtimeMs, file_hash AS fileHash, status, reason, url
                  FROM source_file WHERE archive_id = ? AND path = ?`),
      fileTouch: p('UPDATE source_file SET size = ?, mtime_ms = ? WHERE archive_id = ? AND path = ?'),
      fileUpsert: p(`INSERT INTO source_file (archive_id, path, size, mtime_ms, file_hash, status, reason, url)
                     VALUES (@archiveId, @path, @size, @mtimeMs, @fileHash, @status, @reason, @url)
                     ON CONFLICT (archive_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
                       file_hash = excluded.file_hash, status = excluded.status, reason = excluded.reason, url = excluded.url`),
      fileMarkDuplicate: p(`UPDATE source_file SET status = 'duplicate', reason = ? WHERE archive_id = ? AND path = ?`),
      fileDelete: p('DELETE FROM source_file WHERE id = ?'),
      filesOfArchive: p('SELECT id, path, status, url FROM source_file WHERE archive_id = ?'),
      duplicatesOfUrl:
        p(`SELECT f.archive_id AS archiveId, a.root, f.path FROM source_file f JOIN archive a ON a.id = f.archive_id
                          WHERE f.url = ? AND f.status = 'duplicate'`),
      orphanedDuplicates: p(`SELECT DISTINCT f.url FROM source_file f WHERE f.status = 'duplicate' AND f.url IS NOT NULL
                               AND NOT EXISTS (SELECT 1 FROM post p WHERE p.url = f.url) ORDER BY f.url`),
      report: p(
        `SELECT path, status, reason FROM source_file WHERE archive_id = ? AND status IN ('skipped', 'failed', 'duplicate', 'unpublished') ORDER BY path`,
      ),
      postByUrl:
        p(`SELECT id, archive_id AS archiveId, path, content_hash AS contentHash, title, date_ms AS dateMs, publisher_id AS publisherId
                    FROM post WHERE url = ?`),
      postInsert:
        p(`INSERT INTO post (url, slug, title, date_ms, date_offset, excerpt, html, text, body, front_matter, source_url, archive_id, path, content_hash, publisher_id)
                     VALUES (@url, @slug, @title, @dateMs, @dateOffset, @excerpt, @html, @text, @body, @frontMatter, @sourceUrl, @archiveId, @path, @contentHash, @publisherId)`),
      postUpdate:
        p(`UPDATE post SET slug = @slug, title = @title, date_ms = @dateMs, date_offset = @dateOffset, excerpt = @excerpt, html = @html,
                       text = @text, body = @body, front_matter = @frontMatter, source_url = @sourceUrl, archive_id = @archiveId, path = @path,
                       content_hash = @contentHash, publisher_id = @publisherId WHERE id = @id`),
      postDelete: p('DELETE FROM post WHERE id = ?'),
      ftsDelete: p('DELETE FROM post_fts WHERE rowid = ?'),
      ftsInsert: p('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)'),
      pcInsert: p('INSERT INTO post_category (post_id, category_id, position, date_ms) VALUES (?, ?, ?, ?)'),
      ptInsert: p('INSERT INTO post_tag (post_id, tag_id, position, date_ms) VALUES (?, ?, ?, ?)'),
      psInsert: p(
        'INSERT INTO post_stock (post_id, stock_id, count, embed_count, link_count, text_count, date_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      pbInsert: p(
        'INSERT INTO post_board (post_id, board_id, count, embed_count, link_count, text_count, date_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      poInsert:
        p(`INSERT INTO post_organization (post_id, organization_id, count, embed_count, link_count, text_count, date_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (post_id, organization_id) DO UPDATE SET count = count + excluded.count, embed_count = embed_count + excluded.embed_count,
                     link_count = link_count + excluded.link_count, text_count = text_count + excluded.text_count`),
      pcOld: p('SELECT category_id AS id FROM post_category WHERE post_id = ?'),
      ptOld: p('SELECT tag_id AS id FROM post_tag WHERE post_id = ?'),
      psOld: p('SELECT stock_id AS id FROM post_stock WHERE post_id = ?'),
      pbOld: p('SELECT board_id AS id FROM post_board WHERE post_id = ?'),
      poOld: p('SELECT organization_id AS id FROM post_organization WHERE post_id = ?'),
      pcDel: p('DELETE FROM post_category WHERE post_id = ?'),
      ptDel: p('DELETE FROM post_tag WHERE post_id = ?'),
      psDel: p('DELETE FROM post_stock WHERE post_id = ?'),
      pbDel: p('DELETE FROM post_board WHERE post_id = ?'),
      poDel: p('DELETE FROM post_organization WHERE post_id = ?'),
      categoryGet: p('SELECT id FROM category WHERE slug = ?'),
      categoryInsert: p('INSERT INTO category (name, slug) VALUES (?, ?)'),
      categoryTitle: p('UPDATE category SET title = ? WHERE id = ? AND title IS NOT ?'),
      tagGet: p('SELECT id FROM tag WHERE name = ?'),
      tagInsert: p('INSERT INTO tag (name, slug) VALUES (?, ?)'),
      orgGet: p('SELECT id FROM organization WHERE name = ?'),
      orgInsert: p('INSERT INTO organization (name) VALUES (?)'),
      stockGet: p('SELECT id, name, organization_id AS organizationId FROM stock WHERE symbol = ?'),
      stockInsert: p(`INSERT INTO stock (symbol, code, market, market_id, exchange, secid, name)
                      VALUES (@symbol, @code, @market, @marketId, @exchange, @secid, @name)`),
      stockName: p('UPDATE stock SET name = ? WHERE id = ? AND name IS NULL'),
      stockIssuer: p('UPDATE stock SET organization_id = ? WHERE id = ? AND organization_id IS NULL'),
      boardGet: p('SELECT id, name FROM board WHERE code = ?'),
      boardInsert: p('INSERT INTO board (code, secid, name) VALUES (?, ?, ?)'),
      boardName: p('UPDATE board SET name = ? WHERE id = ? AND name IS NULL'),
      countCategory:
        p(`UPDATE category SET post_count = (SELECT count(*) FROM post_category WHERE category_id = @id) WHERE id = @id
                          AND post_count <> (SELECT count(*) FROM post_category WHERE category_id = @id)`),
      countTag: p(`UPDATE tag SET post_count = (SELECT count(*) FROM post_tag WHERE tag_id = @id) WHERE id = @id
                     AND post_count <> (SELECT count(*) FROM post_tag WHERE tag_id = @id)`),
      countStock:
        p(`UPDATE stock SET coverage_count = (SELECT count(*) FROM post_stock WHERE stock_id = @id) WHERE id = @id
                       AND coverage_count <> (SELECT count(*) FROM post_stock WHERE stock_id = @id)`),
      countBoard: p(`UPDATE board SET post_count = (SELECT count(*) FROM post_board WHERE board_id = @id) WHERE id = @id
                       AND post_count <> (SELECT count(*) FROM post_board WHERE board_id = @id)`),
      countOrganization: p(`UPDATE organization SET post_count = (SELECT count(*) FROM (
                              SELECT post_id FROM post_organization WHERE organization_id = @id UNION SELECT id FROM post WHERE publisher_id = @id))
                            WHERE id = @id AND post_count <> (SELECT count(*) FROM (
                              SELECT post_id FROM post_organization WHERE organization_id = @id UNION SELECT id FROM post WHERE publisher_id = @id))`),
    };
  }

  /**
   * Runs `fn` in one transaction; on failure the id caches are dropped with the rolled-back rows.
   * The counts of the entities `fn` touched are recomputed before the commit, so every committed
   * state is consistent on its own. (They used to be recomputed once, at the end of the import: a
   * crash or kill before that left counts at 0 or stale, and the next import never fixed them,
   * since it skips the files already written.)
   */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(() => {
        const result = fn();
        this.recount();
        return result;
      })();
    } catch (err) {
      for (const map of Object.values(this.ids)) map.clear();
      this.named.clear();
      throw err;
    }
  }

  writeBatch(batch: PendingFile[]): BatchCounts {
    const counts: BatchCounts = { new: 0, updated: 0, unchanged: 0 };
    this.transaction(() => {
      for (const item of batch) {
        if ('touch' in item) {
          this.touchFile(item.meta);
          continue;
        }
        const result = this.write(item.meta, item.outcome);
        if (result === 'new' || result === 'updated' || result === 'unchanged') counts[result]++;
      }
    });
    return counts;
  }

  /**
   * Finds or registers an archive root; says whether its settings changed since the last import.
   * A changed hash is NOT stored here: the caller stores it with `saveConfigHash` once every file
   * has been written under the new settings. (Storing it first meant that an import killed
   * half-way left files read under the old settings that the next import, seeing an unchanged
   * hash and unchanged files, never read again.)
   */
  archive(root: string, configHash: string): { id: number; configChanged: boolean } {
    return this.transaction(() => this.findArchive(root, configHash));
  }

  private findArchive(root: string, configHash: string): { id: number; configChanged: boolean } {
    const row = this.s.archiveByRoot.get(root) as { id: number; configHash: string } | undefined;
    if (!row) {
      const id = Number(this.s.archiveInsert.run(root, configHash).lastInsertRowid);
      this.roots.set(id, root);
      return { id, configChanged: true };
    }
    this.roots.set(row.id, root);
    return { id: row.id, configChanged: row.configHash !== configHash };
  }

  /** Records the settings every file of the archive has now been read with. */
  saveConfigHash(archiveId: number, configHash: string): void {
    this.transaction(() => this.s.archiveUpdate.run(configHash, archiveId));
  }

  /**
   * Permalinks held only by duplicates: their post went away and no duplicate took over yet (the
   * import that dropped the post was killed before it got to that).
   */
  orphanedDuplicateUrls(): string[] {
    return (this.s.orphanedDuplicates.all() as { url: string }[]).map((r) => r.url);
  }

  file(archiveId: number, path: string): SourceFileRow | undefined {
    return this.s.fileGet.get(archiveId, path) as SourceFileRow | undefined;
  }

  /** Same bytes, new mtime: remember it so the file is not read next time. */
  touchFile(meta: FileMeta): void {
    this.s.fileTouch.run(meta.size, meta.mtimeMs, meta.archiveId, meta.path);
  }

  /** Writes one file's outcome. Run inside `transaction`. */
  private write(meta: FileMeta, outcome: FileOutcome): WriteResult {
    const before = this.file(meta.archiveId, meta.path);
    if (outcome.kind === 'post') return this.writePost(meta, outcome.record, before);
    // The file no longer gives a post: if it owned one, that post goes.
    if (before?.status === 'post' && before.url) this.dropPostOf(meta.archiveId, meta.path, before.url);
    let status: string = outcome.kind;
    let reason: string | null = null;
    if (outcome.kind === 'page') {
      status = 'page';
      if (outcome.page?.title != null) {
        const id = this.categoryId(outcome.page.category);
        this.s.categoryTitle.run(outcome.page.title, id, outcome.page.title);
      }
    } else {
      reason = outcome.reason;
    }
    this.saveFile(meta, status, reason, null);
    return 'recorded';
  }

  private saveFile(meta: FileMeta, status: string, reason: string | null, url: string | null): void {
    this.s.fileUpsert.run({ ...meta, status, reason, url });
  }

  private rootOf(archiveId: number): string {
    let root = this.roots.get(archiveId);
    if (root === undefined) {
      root = (this.s.archiveRoot.get(archiveId) as { root: string }).root;
      this.roots.set(archiveId, root);
    }
    return root;
  }

  private outranks(a: { archiveId: number; path: string }, b: { archiveId: number; path: string }): boolean {
    return outranksFile(
      { root: this.rootOf(a.archiveId), path: a.path },
      { root: this.rootOf(b.archiveId), path: b.path },
    );
  }

  private writePost(meta: FileMeta, rec: PostRecord, before: SourceFileRow | undefined): WriteResult {
    // The file's permalink moved: the old post is no longer this file's.
    if (before?.status === 'post' && before.url && before.url !== rec.url) {
      this.dropPostOf(meta.archiveId, meta.path, before.url);
    }
    type Existing = {
      id: number;
      archiveId: number;
      path: string;
      contentHash: string;
      title: string;
      dateMs: number;
      publisherId: number | null;
    };
    const existing = this.s.postByUrl.get(rec.url) as Existing | undefined;
    const sameFile = existing && existing.archiveId === meta.archiveId && existing.path === meta.path;
    if (existing && !sameFile) {
      if (!this.outranks(meta, existing)) {
        this.saveFile(meta, 'duplicate', `same permalink ${rec.url} as ${existing.path}`, rec.url);
        return 'duplicate';
      }
      this.s.fileMarkDuplicate.run(`same permalink ${rec.url} as ${meta.path}`, existing.archiveId, existing.path);
    }
    this.saveFile(meta, 'post', null, rec.url);
    if (
      sameFile &&
      existing.contentHash === rec.contentHash &&
      existing.title === rec.title &&
      existing.dateMs === rec.dateMs
    ) {
      return 'unchanged';
    }
    const publisherId = rec.extraction.publisher ? this.organizationId(rec.extraction.publisher) : null;
    const row = {
      url: rec.url,
      slug: rec.slug,
      title: rec.title,
      dateMs: rec.dateMs,
      dateOffset: rec.dateOffset,
      excerpt: rec.rendering.excerpt,
      html: rec.rendering.html,
      text: rec.rendering.text,
      body: rec.body,
      frontMatter: JSON.stringify(rec.frontMatter),
      sourceUrl: rec.rendering.sourceUrl,
      archiveId: meta.archiveId,
      path: meta.path,
      contentHash: rec.contentHash,
      publisherId,
    };
    let postId: number;
    if (existing) {
      postId = existing.id;
      if (existing.publisherId !== null) this.touched.organization.add(existing.publisherId);
      this.unlink(postId);
      this.s.postUpdate.run({ ...row, id: postId });
      this.s.ftsDelete.run(postId);
    } else {
      postId = Number(this.s.postInsert.run(row).lastInsertRowid);
    }
    if (publisherId !== null) this.touched.organization.add(publisherId);
    this.link(postId, rec);
    this.s.ftsInsert.run(postId, rec.searchTokens.title, rec.searchTokens.body);
    return existing ? 'updated' : 'new';
  }

  private link(postId: number, rec: PostRecord): void {
    const d = rec.dateMs;
    const linked = new Set<number>();
    rec.categories.forEach((name, i) => {
      const id = this.categoryId(name);
      // `Foo` and `foo` are one category (its slug): linked once, at its first place.
      if (linked.has(id)) return;
      linked.add(id);
      this.s.pcInsert.run(postId, id, i, d);
      this.touched.category.add(id);
    });
    rec.tags.forEach((name, i) => {
      const id = this.tagId(name);
      this.s.ptInsert.run(postId, id, i, d);
      this.touched.tag.add(id);
    });
    const stockIds = new Map<string, number>();
    for (const m of rec.extraction.stocks) {
      const id = this.stockId(m);
      stockIds.set(m.symbol, id);
      const c = m.counts;
      this.s.psInsert.run(postId, id, mentionTotal(c), c.embed, c.link, c.text, d);
      this.touched.stock.add(id);
    }
    for (const b of rec.extraction.boards) {
      const id = this.boardId(b.code, b.secid, b.name);
      const c = b.counts;
      this.s.pbInsert.run(postId, id, mentionTotal(c), c.embed, c.link, c.text, d);
      this.touched.board.add(id);
    }
    for (const o of rec.extraction.organizations) {
      const id = this.organizationId(o.name);
      const c = o.counts;
      this.s.poInsert.run(postId, id, mentionTotal(c), c.embed, c.link, c.text, d);
      this.touched.organization.add(id);
      for (const symbol of o.issues) {
        const stockId = stockIds.get(symbol);
        if (stockId !== undefined && !this.named.has(`issuer:${symbol}`)) {
          this.s.stockIssuer.run(id, stockId);
          this.named.add(`issuer:${symbol}`);
        }
      }
    }
  }

  /** Removes a post's link rows, remembering what they pointed at for recounting. */
  private unlink(postId: number): void {
    const mark = (stmt: string, kind: EntityKind) => {
      for (const r of this.s[stmt].all(postId) as { id: number }[]) this.touched[kind].add(r.id);
    };
    mark('pcOld', 'category');
    mark('ptOld', 'tag');
    mark('psOld', 'stock');
    mark('pbOld', 'board');
    mark('poOld', 'organization');
    for (const del of ['pcDel', 'ptDel', 'psDel', 'pbDel', 'poDel']) this.s[del].run(postId);
  }

  /** Deletes the post at `url` if this file owns it, leaving the permalink for a duplicate. */
  private dropPostOf(archiveId: number, path: string, url: string): void {
    const existing = this.s.postByUrl.get(url) as
      { id: number; archiveId: number; path: string; publisherId: number | null } | undefined;
    if (!existing || existing.archiveId !== archiveId || existing.path !== path) return;
    this.unlink(existing.id);
    if (existing.publisherId !== null) this.touched.organization.add(existing.publisherId);
    this.s.ftsDelete.run(existing.id);
    this.s.postDelete.run(existing.id);
    this.orphanUrls.add(url);
  }

  /** Forgets files that are gone from disk; their posts go too. Returns the pruned paths. */
  prune(archiveId: number, exists: (path: string) => boolean): string[] {
    return this.transaction(() => this.pruneFiles(archiveId, exists));
  }

  private pruneFiles(archiveId: number, exists: (path: string) => boolean): string[] {
    const gone: string[] = [];
    for (const f of this.s.filesOfArchive.all(archiveId) as {
      id: number;
      path: string;
      status: string;
      url: string | null;
    }[]) {
      if (exists(f.path)) continue;
      if (f.status === 'post' && f.url) this.dropPostOf(archiveId, f.path, f.url);
      this.s.fileDelete.run(f.id);
      gone.push(f.path);
    }
    return gone;
  }

  /** Duplicates that could take over an orphaned permalink, best candidate first. */
  candidatesFor(url: string): { archiveId: number; root: string; path: string }[] {
    const rows = this.s.duplicatesOfUrl.all(url) as { archiveId: number; root: string; path: string }[];
    return rows.sort((a, b) => (this.outranks(a, b) ? -1 : this.outranks(b, a) ? 1 : 0));
  }

  /** Recomputes the counts of the entities the current transaction touched; writes only what differs. */
  private recount(): void {
    const stmt: Record<EntityKind, string> = {
      category: 'countCategory',
      tag: 'countTag',
      stock: 'countStock',
      board: 'countBoard',
      organization: 'countOrganization',
    };
    for (const kind of Object.keys(stmt) as EntityKind[]) {
      for (const id of this.touched[kind]) this.s[stmt[kind]].run({ id });
      this.touched[kind].clear();
    }
  }

  /** Skipped, failed, unpublished and duplicate files of an archive, as the database knows them. */
  report(archiveId: number): { skipped: ReportEntry[]; failed: ReportEntry[]; duplicates: ReportEntry[] } {
    const out = { skipped: [] as ReportEntry[], failed: [] as ReportEntry[], duplicates: [] as ReportEntry[] };
    for (const r of this.s.report.all(archiveId) as { path: string; status: string; reason: string }[]) {
      const entry = { path: r.path, reason: r.reason };
      if (r.status === 'failed') out.failed.push(entry);
      else if (r.status === 'duplicate') out.duplicates.push(entry);
      else out.skipped.push(entry);
    }
    return out;
  }

  private cached(kind: EntityKind, key: string, find: () => { id: number } | undefined, insert: () => number): number {
    const hit = this.ids[kind].get(key);
    if (hit !== undefined) return hit;
    const id = find()?.id ?? insert();
    this.ids[kind].set(key, id);
    return id;
  }

  private categoryId(name: string): number {
    const slug = name.toLowerCase();
    return this.cached(
      'category',
      slug,
      () => this.s.categoryGet.get(slug) as { id: number } | undefined,
      () => Number(this.s.categoryInsert.run(name, slug).lastInsertRowid),
    );
  }

  private tagId(name: string): number {
    return this.cached(
      'tag',
      name,
      () => this.s.tagGet.get(name) as { id: number } | undefined,
      () => Number(this.s.tagInsert.run(name, slugifyName(name) || name).lastInsertRowid),
    );
  }

  private organizationId(name: string): number {
    return this.cached(
      'organization',
      name,
      () => this.s.orgGet.get(name) as { id: number } | undefined,
      () => Number(this.s.orgInsert.run(name).lastInsertRowid),
    );
  }

  private stockId(m: StockMention): number {
    let known = true;
    const id = this.cached(
      'stock',
      m.symbol,
      () => {
        const row = this.s.stockGet.get(m.symbol) as
          { id: number; name: string | null; organizationId: number | null } | undefined;
        if (row?.name) this.named.add(`name:${m.symbol}`);
        if (row?.organizationId) this.named.add(`issuer:${m.symbol}`);
        return row;
      },
      () => {
        known = false;
        return Number(
          this.s.stockInsert.run({
            symbol: m.symbol,
            code: m.code,
            market: m.market,
            marketId: m.marketId,
            exchange: m.exchange,
            secid: m.secid,
            name: m.name,
          }).lastInsertRowid,
        );
      },
    );
    if (!known && m.name) this.named.add(`name:${m.symbol}`);
    if (m.name && !this.named.has(`name:${m.symbol}`)) {
      this.s.stockName.run(m.name, id);
      this.named.add(`name:${m.symbol}`);
    }
    return id;
  }

  private boardId(code: string, secid: string, name: string | null): number {
    let known = true;
    const id = this.cached(
      'board',
      code,
      () => {
        const row = this.s.boardGet.get(code) as { id: number; name: string | null } | undefined;
        if (row?.name) this.named.add(`board:${code}`);
        return row;
      },
      () => {
        known = false;
        return Number(this.s.boardInsert.run(code, secid, name).lastInsertRowid);
      },
    );
    if (!known && name) this.named.add(`board:${code}`);
    if (name && !this.named.has(`board:${code}`)) {
      this.s.boardName.run(name, id);
      this.named.add(`board:${code}`);
    }
    return id;
  }
}
