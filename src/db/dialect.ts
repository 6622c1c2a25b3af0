import { ftsExpression, tsqueryExpression, type QueryTerm } from '../ingest/search';

/**
 * The SQL that differs between SQLite and PostgreSQL. Everything else the read queries use is
 * common to both: `?` placeholders (the PostgreSQL runner numbers them), TRUE/FALSE, row values,
 * window functions, `AS MATERIALIZED`, and double-quoted camelCase aliases.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** `hay` contains `needle` (both SQL expressions). */
  contains(hay: string, needle: string): string;
  /** `expr` with A-Z lower-cased and every other character as it is, alike on both databases. */
  asciiLower(expr: string): string;
  /**
   * The post table as `p` for reading `id, date_ms, publisher_id` of many posts by id: from the
   * `ix_post_facets` index, whose entries are a few bytes where a post's row holds its text.
   */
  postDatesById: string;
  /**
   * `SELECT id, score` of the posts matching the search parameter (the first `?`); score lower is
   * better. `where`: conditions on the post `p` (their parameters next); `bounded`: only the most
   * recently stored, as many as the last `?` says (the order the text index is kept in, so the
   * scan stops there and only those are scored).
   */
  textHits(o: { scored: boolean; where: string[]; bounded: boolean }): string;
  /** The search parameter for query terms (tokenized like the index). */
  matchParam(terms: QueryTerm[]): string;
  /** `alias`'s title holds the phrase of the parameter (`titlePhrase`): from the text index. */
  titleHas(alias: string): string;
  /** The parameter of `titleHas`: index tokens in a row, in the title only. */
  titlePhrase(tokens: string[]): string;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  contains: (hay, needle) => `instr(${hay}, ${needle}) > 0`,
  // SQLite's lower() folds A-Z only (better-sqlite3 is built without ICU).
  asciiLower: (expr) => `lower(${expr})`,
  // SQLite's planner prefers the rowid, which reads each post's whole row.
  postDatesById: 'post p INDEXED BY ix_post_facets',
  // Title matches weigh ten times body matches; bm25 is negative, lower is better. FTS5 scores
  // only the rows a query returns, so a bounded scan scores no more than its bound.
  textHits: ({ scored, where, bounded }) =>
    `SELECT post_fts.rowid AS id, ${scored ? 'bm25(post_fts, 10.0, 1.0)' : '0'} AS score FROM post_fts
    ${where.length ? 'JOIN post p ON p.id = post_fts.rowid' : ''}
    WHERE post_fts MATCH ?${where.map((w) => ` AND ${w}`).join('')}${bounded ? ' ORDER BY post_fts.rowid DESC LIMIT ?' : ''}`,
  matchParam: ftsExpression,
  titleHas: (alias) => `${alias}.id IN (SELECT rowid FROM post_fts WHERE post_fts MATCH ?)`,
  // Tokens hold only Han characters here (titleNeedleTokens): nothing to quote.
  titlePhrase: (tokens) => `title : "${tokens.join(' ')}"`,
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  contains: (hay, needle) => `strpos(${hay}, ${needle}) > 0`,
  // Under the C collation lower() folds A-Z only, as SQLite's does.
  asciiLower: (expr) => `lower(${expr} COLLATE "C")`,
  // PostgreSQL picks the index-only scan itself.
  postDatesById: 'post p',
  // Weights {D, C, B, A}: title lexemes carry A, body lexemes D (src/ingest/search/tsvector.ts), so a
  // title match weighs ten times a body match, as in SQLite. Negated so lower is better there too.
  // Ranked outside the (bounded) selection, so only the rows it keeps are scored.
  textHits: ({
    scored,
    where,
    bounded,
  }) => `SELECT m.id, ${scored ? "-ts_rank('{0.1, 0.1, 0.1, 1.0}', m.tsv, m.q)" : '0'} AS score
    FROM (SELECT t.post_id AS id, t.tsv, q FROM post_search t ${where.length ? 'JOIN post p ON p.id = t.post_id' : ''}, CAST(? AS tsquery) q
      WHERE t.tsv @@ q${where.map((w) => ` AND ${w}`).join('')}${bounded ? ' ORDER BY t.post_id DESC LIMIT ?' : ''}) AS m`,
  matchParam: tsqueryExpression,
  titleHas: (alias) => `${alias}.id IN (SELECT post_id FROM post_search WHERE tsv @@ CAST(? AS tsquery))`,
  // Title lexemes carry weight A (ingest/search/tsvector.ts).
  titlePhrase: (tokens) => tokens.map((t) => `'${t}':A`).join(' <-> '),
};
