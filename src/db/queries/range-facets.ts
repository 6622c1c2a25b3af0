import type { SqlRunner } from '../sql-runner';
import { ALL_POSTS } from '../writes/read-model';
import { emptyFacetCounts, FACET_KINDS, MAX_FACET_ENTRIES, type FacetCounts, type FacetKind } from './facet-counts';
import { between, dayRange, wholeSpans } from './stock-stats';

/**
 * Every facet of the posts in a date range (inclusive instants, null: open), from the read model:
 * the whole months of the range from the month rows, its other whole days from the day rows (the
 * `post` kind gives the total and the day histogram), and each day the range cuts from `cutDay`,
 * which counts that part of the day's posts. What counting the posts gives, at a cost that follows
 * the read model's rows in the range, not the posts.
 *
 * Each kind holds its MAX_FACET_ENTRIES largest counts (most first, ties by id), as exactly as all
 * of them would give those: the whole days' top entries, plus the whole days' counts of whatever
 * the cut days hold, then the cut days added; an entity neither holds has at least that many above it.
 */
export async function rangeFacets(
  run: SqlRunner,
  from: number | null,
  to: number | null,
  cutDay: (from: number, to: number) => Promise<FacetCounts>,
): Promise<FacetCounts> {
  const out = emptyFacetCounts();
  if (from !== null && to !== null && from > to) return out;
  const add = (map: Map<number, number>, k: number, n: number) => map.set(k, (map.get(k) ?? 0) + n);
  const range = dayRange(from, to);
  const cut = emptyFacetCounts();
  for (const c of range.cuts) {
    const counts = await cutDay(c.from, c.to);
    cut.total += counts.total;
    for (const kind of FACET_KINDS) for (const [id, n] of counts.byKind[kind]) add(cut.byKind[kind], id, n);
    cut.days.push(...counts.days);
  }

  const days = new Map<number, number>();
  const spans = wholeSpans(range, true);
  if (spans.length) {
    const params: unknown[] = [];
    /**
     * A kind's posts per entity in the range's whole days, `entity_id, posts`, an entity once a
     * span: each span sums in its own key order (the month rows' leads with the entity), so only
     * those sums are sorted together, not every row.
     */
    const rowsOf = (kind: string, also: string[] = []) =>
      spans
        .map((s) => {
          const b = between(s.col, s.first, s.last);
          params.push(...b.params);
          return `SELECT entity_id, sum(posts) AS posts FROM ${s.table}
                   WHERE ${[`kind = '${kind}'`, ...b.where, ...also].join(' AND ')} GROUP BY entity_id`;
        })
        .join(' UNION ALL ');
    const parts: string[] = [];
    for (const kind of FACET_KINDS) {
      parts.push(`SELECT * FROM (SELECT '${kind}' AS kind, entity_id AS k, sum(posts) AS n FROM (${rowsOf(kind)}) AS s
                   GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT ${MAX_FACET_ENTRIES}) AS top_${kind}`);
      const ids = [...cut.byKind[kind].keys()];
      if (ids.length)
        parts.push(`SELECT '${kind}', entity_id, sum(posts) FROM (${rowsOf(kind, [`entity_id IN (${ids.map(Number).join(', ')})`])}) AS c
                     GROUP BY entity_id`);
    }
    parts.push(`SELECT 'post', ${ALL_POSTS}, coalesce(sum(posts), 0) FROM (${rowsOf('post')}) AS t`);
    const histogram = between('day', range.firstWhole, range.lastWhole);
    params.push(...histogram.params);
    parts.push(`SELECT 'day', day, posts FROM coverage_day
                 WHERE ${["kind = 'post'", `entity_id = ${ALL_POSTS}`, ...histogram.where].join(' AND ')}`);
    const rows = await run.all<{ kind: string; k: number | string; n: number | string }>(
      parts.join('\nUNION ALL\n'),
      params,
    );
    for (const r of rows) {
      const k = Number(r.k);
      const n = Number(r.n);
      if (r.kind === 'post') out.total = n;
      else if (r.kind === 'day') days.set(k, n);
      // A cut day's entity may also be among the top: the same sum twice.
      else out.byKind[r.kind as FacetKind].set(k, n);
    }
  }
  out.total += cut.total;
  for (const kind of FACET_KINDS) for (const [id, n] of cut.byKind[kind]) add(out.byKind[kind], id, n);
  for (const d of cut.days) add(days, d.day, d.n);
  out.days = [...days].map(([day, n]) => ({ day, n })).sort((a, b) => a.day - b.day);
  return out;
}
