// Import robustness fuzz: 10,000+ deterministic mutants of real (seeds/finews) and generated posts,
// plus hostile tree entries, imported in one run. The import must resolve; every candidate file
// must come back exactly once (post, duplicate, skipped or failed) with a reason that names what is
// wrong; every unmutated control post must be imported; memory must stay bounded.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { generateArchive } from '../../bench/gen/main';
import { Rng } from '../../bench/gen/rng';
import { openDatabase } from '../../src/db/data-source';
import { importArchives, ImportSummary } from '../../src/db/importer';
import { writeStoreOf } from '../../src/db/store';
import { type StoredText, unpackText } from '../../src/ingest/render/packed';
import { SEED, tempDatabase, tempDir } from '../helpers/db';
import { requireCompiledCli } from './db-state';

const MUTANTS = 10_000;
const RNG_SEED = 0xf022_2024;
const DATE = '2022-03-04';

type Status = 'post' | 'duplicate' | 'skipped' | 'failed';
/** What a file must become: a status and reason, or `any` (just accounted for, with a reason). */
interface Expect {
  status: Status | 'any';
  reason?: RegExp;
}
interface Planned {
  rel: string;
  kind: string;
  expect: Expect;
}

/** Reasons that mean a safety net caught a bug, not that the input is bad. */
const BUG_REASONS = /internal error|cannot render|could not be passed back|undefined|\[object Object\]/i;

function listPosts(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listPosts(p));
    else if (/\.md$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const utf8 = (b: Buffer) => b.toString('utf8');

/** Splits a post into its front matter lines (between the fences) and body. */
function parts(text: string): { fm: string[]; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, '\n'));
  if (!m) throw new Error(`base post without front matter: ${text.slice(0, 80)}`);
  return { fm: m[1].split('\n'), body: m[2] };
}
const join = (fm: string[], body: string) => `---\n${fm.join('\n')}\n---\n${body}`;

const INVALID_UTF8 = [
  [0xff],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x80],
  [0xe4, 0xb8, 0x0a],
  [0xfe, 0xfe],
];

function insertAt(b: Buffer, pos: number, bytes: number[]): Buffer {
  return Buffer.concat([b.subarray(0, pos), Buffer.from(bytes), b.subarray(pos)]);
}

/** A position just after a newline: inserting there cannot complete a multi-byte character. */
function lineStart(rng: Rng, b: Buffer): number {
  const starts = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) starts.push(i + 1);
  return rng.pick(starts);
}

function flipBytes(rng: Rng, b: Buffer, n: number, end = b.length): Buffer {
  const out = Buffer.from(b);
  for (let i = 0; i < n && end > 0; i++) out[rng.int(0, end - 1)] ^= rng.int(1, 255);
  return out;
}

/** Characters that mean something to YAML, Markdown or HTML. */
const SYNTAX = Array.from(':-[]{}&*!|>\'"#%@`,?\n\t <>/=\\.~');

/**
 * Replaces ASCII bytes with syntax characters: the text stays valid UTF-8, so the mutation reaches
 * the YAML parser, the date and permalink rules and the renderer (a raw flip inside a CJK
 * character mostly just makes the file invalid UTF-8).
 */
function syntaxFlips(rng: Rng, b: Buffer, n: number, end = b.length): Buffer {
  const out = Buffer.from(b);
  for (let i = 0; i < n * 20 && n > 0; i++) {
    const pos = rng.int(0, Math.max(0, end - 1));
    if (out[pos] >= 0x80) continue;
    out[pos] = rng.pick(SYNTAX).charCodeAt(0);
    n--;
  }
  return out;
}

function billionLaughs(rng: Rng): string[] {
  // fan-out f, levels L with f^L >= 10^6: expands to millions of values from a few hundred bytes.
  const f = rng.int(2, 10);
  const levels = Math.ceil(6 / Math.log10(f)) + rng.int(0, 3);
  const lines = [`lol0: &lol0 [${Array(f).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++)
    lines.push(
      `lol${i}: &lol${i} [${Array(f)
        .fill(`*lol${i - 1}`)
        .join(', ')}]`,
    );
  return lines;
}

function deepYaml(rng: Rng, depth: number): string[] {
  switch (rng.int(0, 2)) {
    case 0:
      return [`deep: ${'['.repeat(depth)}x${']'.repeat(depth)}`];
    case 1:
      return [`deep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`];
    default: {
      const d = Math.min(depth, 200); // block style: indentation makes the size quadratic
      const lines = ['deep:'];
      for (let i = 1; i <= d; i++) lines.push(`${' '.repeat(i)}k${i}:`);
      return lines;
    }
  }
}

function deepHtml(rng: Rng, n: number): string {
  const [open, close] = rng.pick([
    ['<div>', '</div>'],
    ['<ul><li>', '</li></ul>'],
    ['<table><tr><td>', '</td></tr></table>'],
    ['<a href="http://quote.eastmoney.com/sh600050.html">', '</a>'],
    ['<span class="web-stock" data-code="600050" data-market="1">', '</span>'],
    ['<blockquote><p>', '</p></blockquote>'],
    ['<b><i>', '</i></b>'],
  ]);
  return `${open.repeat(n)}中国联通(600050)${rng.chance(0.5) ? close.repeat(n) : ''}\n`;
}

function deepMarkdown(rng: Rng, n: number): string {
  const unit = rng.pick(['- ', '> ', '1. ', '* ', '>- ']);
  if (rng.chance(0.25)) return `${'*'.repeat(n)}x${'*'.repeat(n)}\n${'['.repeat(n)}x${']'.repeat(n)}\n`;
  return `${unit.repeat(n)}item 600050\n`;
}

/** ~10 MB of news-like paragraphs (stock links, CJK text, markup) behind a real front matter. */
function bigBody(bases: Buffer[], pathological: boolean): string {
  const { fm } = parts(utf8(bases[0]));
  let body = '';
  if (pathological) {
    // One line, no paragraph breaks: emphasis runs, links and inline HTML all the way.
    const unit = '*联通* [600050](http://quote.eastmoney.com/sh600050.html) <span>中国联通</span> ';
    body = unit.repeat(Math.ceil((10 * 1024 * 1024) / Buffer.byteLength(unit)));
  } else {
    const chunks: string[] = [];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const b = parts(utf8(bases[i % bases.length])).body;
      chunks.push(b);
      size += Buffer.byteLength(b);
    }
    body = chunks.join('\n\n');
  }
  return join(fm, body);
}

interface Corpus {
  root: string;
  planned: Planned[];
  /** Paths that must not appear in any report (folders). */
  folders: string[];
}

/** Writes the archive; returns what each candidate file must become. */
async function buildCorpus(work: string): Promise<Corpus> {
  const rng = new Rng(RNG_SEED);
  const root = path.join(work, 'archive');
  const posts = path.join(root, '_posts');
  fs.mkdirSync(posts, { recursive: true });
  fs.copyFileSync(path.join(SEED, '_config.yml'), path.join(root, '_config.yml'));

  const gen = path.join(work, 'gen');
  await generateArchive({ posts: 500, out: gen, seed: 11 });
  // The seed's misnamed `_posts/-202205262391921712.md` is left out: its `date:  +0800` is invalid
  // (Jekyll fails on it too), so under a proper name it is not a valid control.
  const seedFiles = [...listPosts(path.join(SEED, '_posts')), ...listPosts(path.join(SEED, 'old_post'))].filter((f) =>
    /^\d{4}-\d{2}-\d{2}-/.test(path.basename(f)),
  );
  const real = seedFiles.map((f) => fs.readFileSync(f));
  // Generated posts are 200 B - 20 KB; the smaller ones keep 10,000 parses within the time budget.
  const generated = listPosts(path.join(gen, '_posts'))
    .map((f) => fs.readFileSync(f))
    .filter((b) => b.length <= 3000);
  const bases = [...real, ...generated];

  const planned: Planned[] = [];
  const write = (rel: string, content: string | Buffer, kind: string, expect: Expect) => {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
    planned.push({ rel, kind, expect });
  };
  const post: Expect = { status: 'post' };
  const any: Expect = { status: 'any' };

  // Controls: every real post and 300 generated ones, unmodified, under fresh names.
  const controls = [...real, ...generated.slice(0, 300)];
  controls.forEach((b, i) => write(`_posts/control/${DATE}-control-${i}.md`, b, 'control', post));

  const weights: [string, number][] = [
    ['flip', 22],
    ['flip-front-matter', 10],
    ['truncate', 10],
    ['unclose', 5],
    ['nul', 6],
    ['utf8', 6],
    ['alias-bomb', 4],
    ['deep-yaml', 2],
    ['deep-html', 3],
    ['deep-markdown', 3],
    ['no-front-matter', 2],
    ['executable', 1],
    ['unpublished', 1],
    ['bad-date', 2],
    ['duplicate', 1],
    ['name', 4],
    ['crlf', 2],
    ['bom', 1],
    ['empty', 1],
    ['huge-front-matter', 1],
    ['multi', 6],
    ['control', 7],
  ];
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const pickKind = () => {
    let x = rng.next() * total;
    for (const [k, w] of weights) if ((x -= w) < 0) return k;
    return 'flip';
  };

  let mutants = 0;
  for (let i = 0; mutants < MUTANTS; i++) {
    const base = rng.pick(bases);
    const text = utf8(base);
    const { fm, body } = parts(text);
    const dir = `_posts/m${String(i % 20).padStart(2, '0')}`;
    const name = `${DATE}-m${i}.md`;
    const rel = `${dir}/${name}`;
    const kind = pickKind();
    if (kind !== 'control') mutants += kind === 'duplicate' ? 2 : 1;
    switch (kind) {
      case 'control':
        write(rel, base, kind, post);
        break;
      case 'flip':
        write(
          rel,
          rng.chance(0.5) ? flipBytes(rng, base, rng.int(1, 8)) : syntaxFlips(rng, base, rng.int(1, 8)),
          kind,
          any,
        );
        break;
      case 'flip-front-matter': {
        const end = Buffer.byteLength(join(fm, ''));
        write(
          rel,
          rng.chance(0.25) ? flipBytes(rng, base, rng.int(1, 4), end) : syntaxFlips(rng, base, rng.int(1, 4), end),
          kind,
          any,
        );
        break;
      }
      case 'truncate':
        write(rel, base.subarray(0, rng.int(0, base.length - 1)), kind, any);
        break;
      case 'unclose': {
        // Without its closing fence the front matter runs to the end, unless a later line closes it.
        const rest = `${fm.join('\n')}\n${body}`;
        const closes = /^(---|\.\.\.)/m.test(rest);
        write(rel, `---\n${rest}`, kind, closes ? any : { status: 'skipped', reason: /never closed/ });
        break;
      }
      case 'nul':
        write(rel, insertAt(base, rng.int(0, base.length), [0]), kind, { status: 'failed', reason: /NUL/ });
        break;
      case 'utf8':
        write(rel, insertAt(base, lineStart(rng, base), rng.pick(INVALID_UTF8)), kind, {
          status: 'failed',
          reason: /UTF-8/,
        });
        break;
      case 'alias-bomb':
        write(rel, join([...fm, ...billionLaughs(rng)], body), kind, { status: 'failed', reason: /alias/i });
        break;
      case 'deep-yaml': {
        // Mostly just over the limit; a few at 10,000 levels.
        const depth = rng.chance(0.1) ? 10_000 : rng.pick([101, 150, 300, 800, 2000]);
        write(rel, join([...fm, ...deepYaml(rng, depth)], body), kind, {
          status: 'failed',
          reason: /nested too deeply/,
        });
        break;
      }
      case 'deep-html': {
        const n = rng.chance(0.05) ? 10_000 : rng.int(50, 1500);
        write(rel, join(fm, `${body}\n${deepHtml(rng, n)}`), kind, post);
        break;
      }
      case 'deep-markdown': {
        const n = rng.chance(0.05) ? 10_000 : rng.int(50, 1500);
        write(rel, join(fm, `${body}\n\n${deepMarkdown(rng, n)}`), kind, post);
        break;
      }
      case 'no-front-matter':
        write(
          rel,
          body,
          kind,
          /^(---|\uFEFF)/.test(body) || body === '' ? any : { status: 'skipped', reason: /no front matter/ },
        );
        break;
      case 'executable':
        write(rel, `---${rng.pick(['js', 'javascript', 'coffee', ' JS'])}\n${fm.join('\n')}\n---\n${body}`, kind, {
          status: 'failed',
          reason: /executable front matter/,
        });
        break;
      case 'unpublished':
        write(rel, join([...fm, rng.pick(['published: false', 'published: no', 'published: OFF'])], body), kind, {
          status: 'skipped',
          reason: /published/,
        });
        break;
      case 'bad-date': {
        const bad = rng.pick([
          'yesterday',
          '2022-13-45',
          '2022-02-30 10:00:00',
          '[1, 2]',
          '{a: 1}',
          'x'.repeat(5000),
          '99999-01-01',
        ]);
        write(rel, join([...fm.filter((l) => !l.startsWith('date:')), `date: ${bad}`], body), kind, {
          status: 'failed',
          reason: /date/,
        });
        break;
      }
      case 'duplicate': {
        // Two files, one permalink: one post, one duplicate naming the other.
        const permalink = `permalink: /dup/${i}.html`;
        write(rel, join([...fm, permalink], body), kind, { status: 'any' });
        write(`${dir}/${DATE}-m${i}-twin.md`, join([...fm, permalink], body), kind, { status: 'any' });
        planned[planned.length - 2].kind = planned[planned.length - 1].kind = `duplicate:${i}`;
        break;
      }
      case 'name': {
        const variants: [string, Expect][] = [
          [`${DATE}-m${i}.MD`, post],
          [`${DATE}-m${i}.markdown`, post],
          [`${DATE}-m${i}.html`, post],
          [`${DATE}-m${i}...md`, post],
          [`m${i}.md`, { status: 'skipped', reason: /does not start with a date/ }],
          [`22-03-04-m${i}.md`, { status: 'skipped', reason: /four digits/ }],
          [`2022-02-30-m${i}.md`, { status: 'skipped', reason: /impossible date/ }],
          [`${DATE}-m${i}.txt`, { status: 'skipped', reason: /not a Markdown or HTML file/ }],
        ];
        const [n, e] = rng.pick(variants);
        write(`${dir}/${n}`, base, kind, e);
        break;
      }
      case 'crlf':
        write(rel, text.replace(/\n/g, '\r\n'), kind, post);
        break;
      case 'bom':
        write(rel, `\uFEFF${text}`, kind, post);
        break;
      case 'empty':
        write(rel, rng.pick(['', '\n', '\uFEFF', '---', '---\n---\n']), kind, any);
        break;
      case 'huge-front-matter': {
        const many = rng.chance(0.5)
          ? [`tags: [${Array.from({ length: 3000 }, (_, k) => `t${k}`).join(', ')}]`]
          : [`summary: "${'长'.repeat(200_000)}"`];
        write(rel, join([...fm, ...many], body), kind, post);
        break;
      }
      case 'multi': {
        let b: Buffer = Buffer.from(base);
        for (let k = rng.int(2, 4); k > 0; k--) {
          const op = rng.int(0, 3);
          if (op === 0) b = rng.chance(0.5) ? flipBytes(rng, b, rng.int(1, 4)) : syntaxFlips(rng, b, rng.int(1, 6));
          else if (op === 1) b = b.subarray(0, rng.int(Math.floor(b.length / 2), b.length));
          else if (op === 2) b = insertAt(b, rng.int(0, b.length), rng.pick(INVALID_UTF8));
          else b = Buffer.from(utf8(b).replace(/\n---\n/, '\n--\n'));
        }
        write(rel, b, kind, any);
        break;
      }
      default:
        throw new Error(kind);
    }
  }

  // Two 10 MB bodies: one of real paragraphs, one pathological single line.
  write(`_posts/big/${DATE}-big-paragraphs.md`, bigBody(real, false), 'big', post);
  write(`_posts/big/${DATE}-big-one-line.md`, bigBody(real, true), 'big', post);

  // Symbolic links are never followed: a loop to the parent, a self-link, a link to a post, a
  // dangling one, and a loop deeper in the tree.
  const link = (target: string, rel: string) => {
    fs.symlinkSync(target, path.join(root, rel));
    planned.push({ rel, kind: 'symlink', expect: { status: 'skipped', reason: /symbolic link/ } });
  };
  link('..', '_posts/loop');
  link(`${DATE}-self.md`, `_posts/${DATE}-self.md`);
  link(`control/${DATE}-control-0.md`, `_posts/${DATE}-link.md`);
  link('nowhere.md', `_posts/${DATE}-dangling.md`);
  link('../..', '_posts/m00/up');

  // A named pipe named like a post: never opened (it would block), reported.
  execFileSync('mkfifo', [path.join(posts, `${DATE}-fifo.md`)]);
  planned.push({
    rel: `_posts/${DATE}-fifo.md`,
    kind: 'fifo',
    expect: { status: 'skipped', reason: /not a regular file/ },
  });

  // A folder where a post file would be: it is a folder (walked), not a post. One holds a post.
  const folders = [`_posts/${DATE}-folder.md`, `_posts/${DATE}-empty-folder.md`];
  fs.mkdirSync(path.join(root, folders[1]));
  write(`${folders[0]}/${DATE}-inside-folder.md`, real[1], 'in-folder', post);

  // Unreadable (chmod 000) file and folder. Root reads them anyway (permission bits do not bind
  // root, and the tests run as root here): then they are ordinary posts. Unprivileged, they are
  // reported; the test "unreadable files, as an unprivileged user" below covers that case.
  const root0 = process.getuid?.() === 0;
  write(
    `_posts/${DATE}-no-permission.md`,
    real[2],
    'chmod-000',
    root0 ? post : { status: 'skipped', reason: /EACCES|permission denied/ },
  );
  fs.chmodSync(path.join(posts, `${DATE}-no-permission.md`), 0o000);
  if (root0) {
    write(`_posts/locked/${DATE}-in-locked-folder.md`, real[3], 'chmod-000-folder', post);
  } else {
    fs.mkdirSync(path.join(posts, 'locked'));
    planned.push({
      rel: '_posts/locked',
      kind: 'chmod-000-folder',
      expect: { status: 'skipped', reason: /cannot read folder/ },
    });
  }
  fs.chmodSync(path.join(posts, 'locked'), 0o000);
  return { root, planned, folders };
}

/** A full garbage collection, without starting node with --expose-gc. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

let work: string;
afterAll(() => {
  if (!work) return;
  const locked = path.join(work, 'archive/_posts/locked');
  if (fs.existsSync(locked)) fs.chmodSync(locked, 0o755);
  fs.rmSync(work, { recursive: true, force: true }); // ~120 MB per run
});

test(`${MUTANTS} mutated posts and hostile tree entries: no crash, every file accounted for once, controls imported, bounded memory`, async () => {
  work = tempDir('newsgraph-fuzz-');
  const t0 = Date.now();
  const { root, planned, folders } = await buildCorpus(work);
  const built = Date.now() - t0;
  expect(
    planned.filter((p) => p.kind !== 'control' && p.kind !== 'symlink' && p.kind !== 'fifo').length,
  ).toBeGreaterThanOrEqual(MUTANTS);

  const t = await tempDatabase();
  try {
    // Memory, sampled after a full GC every 1,000 files. `live` (V8 heap in use + external memory)
    // is what the import keeps alive: it must stay flat whatever the archive holds. RSS also counts
    // pages V8 and malloc have freed but not yet handed back (V8 unmaps them on a background thread,
    // late on a busy machine: CI saw +624 MB where a quiet run sees +223 MB), so it gets only a
    // ceiling against gross growth, such as holding the ~120 MB corpus.
    const gc = collector();
    gc();
    const live = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };
    const before = { live: live(), rss: process.memoryUsage().rss };
    const peak = { ...before };
    const sample = () => {
      gc();
      peak.live = Math.max(peak.live, live());
      peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
    };
    const started = Date.now();
    const summary: ImportSummary = await importArchives(t.writeStore, [root], {
      workers: 0,
      onProgress: (p) => {
        if (p.files % 1000 === 0) sample();
      },
    });
    const importMs = Date.now() - started;
    sample();
    const leftMb = (live() - before.live) / 1048576;

    // Every candidate exactly once, and nothing else.
    const postPaths = (await t.query<{ path: string }>(`SELECT path FROM source_file WHERE status = 'post'`)).map(
      (r) => r.path,
    );
    const seen = new Map<string, { status: Status; reason: string }[]>();
    const add = (p: string, status: Status, reason: string) =>
      seen.set(p, [...(seen.get(p) ?? []), { status, reason }]);
    postPaths.forEach((p) => add(p, 'post', ''));
    summary.duplicates.forEach((e) => add(e.path, 'duplicate', e.reason));
    summary.skipped.forEach((e) => add(e.path, 'skipped', e.reason));
    summary.failed.forEach((e) => add(e.path, 'failed', e.reason));
    const candidates = new Set(planned.map((p) => p.rel));
    expect(candidates.size).toBe(planned.length);
    expect([...seen.keys()].filter((p) => !candidates.has(p))).toEqual([]);
    expect(
      planned.filter((p) => (seen.get(p.rel)?.length ?? 0) !== 1).map((p) => ({ ...p, seen: seen.get(p.rel) })),
    ).toEqual([]);
    expect(folders.filter((f) => seen.has(f))).toEqual([]);
    expect(summary.files).toBe(planned.length - planned.filter((p) => ['symlink', 'fifo'].includes(p.kind)).length);

    // The post table agrees with the files marked post.
    const postRows = (await t.query<{ path: string }>('SELECT path FROM post')).map((r) => r.path).sort();
    expect(postRows).toEqual([...postPaths].sort());
    expect(summary.new).toBe(postPaths.length);

    // Each outcome as planned; every problem has a reason that says what is wrong.
    const wrong: unknown[] = [];
    for (const p of planned) {
      const got = seen.get(p.rel)![0];
      if (
        got.status !== 'post' &&
        (got.reason.trim().length < 8 || got.reason.length > 400 || BUG_REASONS.test(got.reason))
      )
        wrong.push({ ...p, got });
      else if (p.expect.status !== 'any' && got.status !== p.expect.status) wrong.push({ ...p, got });
      else if (p.expect.reason && !p.expect.reason.test(got.reason)) wrong.push({ ...p, got });
    }
    expect(wrong.slice(0, 20)).toEqual([]);

    // Pairs that share a permalink: exactly one post, and the duplicate names the other file.
    const pairs = new Map<string, Planned[]>();
    for (const p of planned) if (p.kind.startsWith('duplicate:')) pairs.set(p.kind, [...(pairs.get(p.kind) ?? []), p]);
    for (const [, [a, b]] of pairs) {
      const sa = seen.get(a.rel)![0];
      const sb = seen.get(b.rel)![0];
      if (sa.status === 'post' && sb.status === 'post')
        throw new Error(`${a.rel} and ${b.rel} share a permalink and are both posts`);
      if (sa.status === 'duplicate') expect(sa.reason).toContain(b.rel);
      if (sb.status === 'duplicate') expect(sb.reason).toContain(a.rel);
    }

    // The mutations reached every outcome (the fuzz is not just failing everything).
    const byStatus = (s: Status) => planned.filter((p) => seen.get(p.rel)![0].status === s).length;
    expect(byStatus('post')).toBeGreaterThan(2000);
    expect(byStatus('failed')).toBeGreaterThan(1000);
    expect(byStatus('skipped')).toBeGreaterThan(500);
    expect(byStatus('duplicate')).toBeGreaterThan(10);

    // The 10 MB posts are stored whole: their text (a third of the markup, in the one-line post) is not cut.
    const big = await t.query<{ id: number; text: StoredText }>(
      `SELECT id, text FROM post WHERE path LIKE '_posts/big/%'`,
    );
    expect(big.length).toBeGreaterThan(0);
    expect(big.every((r) => Buffer.byteLength(unpackText(r.text, `post ${r.id} text`)) > 3_000_000)).toBe(true);

    const liveMb = (peak.live - before.live) / 1048576;
    const rssMb = (peak.rss - before.rss) / 1048576;
    // In flight: one write batch (<= 500 files / 8 MB of source, ~5x that once parsed) and the walk.
    expect(liveMb).toBeLessThan(128);
    expect(leftMb).toBeLessThan(16); // nothing kept once the import returns
    expect(rssMb).toBeLessThan(1024);
    if (process.env.NEWSGRAPH_TEST_VERBOSE) {
      console.log(
        `corpus ${planned.length} files built in ${built} ms; import ${importMs} ms; live +${liveMb.toFixed(0)} MB (after: +${leftMb.toFixed(1)}), rss +${rssMb.toFixed(0)} MB;` +
          ` post ${byStatus('post')}, failed ${byStatus('failed')}, skipped ${byStatus('skipped')}, duplicate ${byStatus('duplicate')}`,
      );
    }
  } finally {
    await t.close();
  }
}, 150_000);

/**
 * Imports as a user that permission bits apply to. Root ignores them (the tests run as root here),
 * so then the compiled CLI runs as `nobody` and EACCES really happens; otherwise in process.
 */
async function importUnprivileged(root: string, db: string, prune = false): Promise<ImportSummary> {
  if (process.getuid?.() !== 0) {
    const ds = await openDatabase(db);
    try {
      return await importArchives(writeStoreOf(ds), [root], { workers: 0, prune });
    } finally {
      await ds.destroy();
    }
  }
  fs.chmodSync(path.dirname(db), 0o777); // nobody creates the database there
  const r = spawnSync(
    process.execPath,
    [requireCompiledCli(), 'import', root, '--db', db, '--json', '--no-progress', ...(prune ? ['--prune'] : [])],
    {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { ...process.env, HOME: path.dirname(db) },
    },
  );
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(r.stdout);
}

const simplePost = (title: string) => `---\ntitle: ${title}\ndate: 2022-01-02 03:04:05 +0800\n---\nbody\n`;

test('unreadable files and folders, as an unprivileged user: reported with the reason, the rest imported', async () => {
  const dir = tempDir('newsgraph-eacces-');
  const root = path.join(dir, 'archive');
  const posts = path.join(root, '_posts');
  fs.mkdirSync(path.join(posts, 'locked'), { recursive: true });
  fs.writeFileSync(path.join(posts, '2022-01-01-readable.md'), simplePost('ok'));
  fs.writeFileSync(path.join(posts, '2022-01-02-no-permission.md'), simplePost('secret'));
  fs.writeFileSync(path.join(posts, 'locked', '2022-01-03-in-locked.md'), simplePost('hidden'));
  fs.chmodSync(path.join(posts, '2022-01-02-no-permission.md'), 0o000);
  fs.chmodSync(path.join(posts, 'locked'), 0o000);
  try {
    const summary = await importUnprivileged(root, path.join(dir, 'x.db'));
    expect(summary.new).toBe(1);
    const reasons = Object.fromEntries([...summary.skipped, ...summary.failed].map((e) => [e.path, e.reason]));
    expect(reasons).toEqual({
      '_posts/2022-01-02-no-permission.md': expect.stringMatching(/cannot read: EACCES: permission denied/),
      '_posts/locked': expect.stringMatching(/cannot read folder: EACCES: permission denied/),
    });
  } finally {
    fs.chmodSync(path.join(posts, 'locked'), 0o755);
  }
});

test('--prune keeps the posts of a folder it cannot read (unprivileged user)', async () => {
  const dir = tempDir('newsgraph-eacces-prune-');
  const root = path.join(dir, 'archive');
  const posts = path.join(root, '_posts');
  fs.mkdirSync(path.join(posts, 'locked'), { recursive: true });
  fs.writeFileSync(path.join(posts, '2022-01-01-outside.md'), simplePost('outside'));
  fs.writeFileSync(path.join(posts, 'locked', '2022-01-03-inside.md'), simplePost('inside'));
  const db = path.join(dir, 'x.db');
  expect((await importUnprivileged(root, db)).new).toBe(2);
  fs.chmodSync(path.join(posts, 'locked'), 0o000);
  try {
    // A folder that cannot be read is not a folder whose files are gone.
    const again = await importUnprivileged(root, db, true);
    expect(again.pruned).toBe(0);
    expect(again.skipped).toEqual([
      { path: '_posts/locked', reason: expect.stringMatching(/cannot read folder: EACCES/) },
    ]);
  } finally {
    fs.chmodSync(path.join(posts, 'locked'), 0o755);
  }
});

test('a post file replaced by a folder named like it, or by a symbolic link: --prune removes its post', async () => {
  const root = path.join(tempDir('newsgraph-morph-'), 'archive');
  const posts = path.join(root, '_posts');
  fs.mkdirSync(posts, { recursive: true });
  for (const n of ['folder', 'link', 'kept']) fs.writeFileSync(path.join(posts, `2022-01-02-${n}.md`), simplePost(n));
  const t = await tempDatabase();
  try {
    expect((await importArchives(t.writeStore, [root], { workers: 0 })).new).toBe(3);
    fs.rmSync(path.join(posts, '2022-01-02-folder.md'));
    fs.mkdirSync(path.join(posts, '2022-01-02-folder.md'));
    fs.rmSync(path.join(posts, '2022-01-02-link.md'));
    fs.symlinkSync('2022-01-02-kept.md', path.join(posts, '2022-01-02-link.md'));
    const s = await importArchives(t.writeStore, [root], { workers: 0, prune: true });
    expect(s).toMatchObject({ pruned: 2, new: 0, unchanged: 1, failed: [] });
    expect(s.skipped).toEqual([{ path: '_posts/2022-01-02-link.md', reason: 'symbolic link (not followed)' }]);
    expect((await t.query<{ title: string }>('SELECT title FROM post')).map((r) => r.title)).toEqual(['kept']);
  } finally {
    await t.close();
  }
});

test('front matter nested thousands of levels deep, through the parser threads of the CLI: no hang, no crash', () => {
  // Parsed on a worker thread (larger stack), such front matter used to reach the main thread, where
  // structured clone dropped the reply ('messageerror': the import waited forever) or JSON.stringify
  // overflowed in the writer (the import died).
  const root = path.join(tempDir('newsgraph-deep-cli-'), 'archive');
  fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
  const depths = [700, 1000, 2000, 3000, 5000, 10_000, 30_000];
  for (const d of depths)
    fs.writeFileSync(
      path.join(root, '_posts', `2022-01-01-d${d}.md`),
      `---\ntitle: x\ndeep: ${'['.repeat(d)}${']'.repeat(d)}\n---\nbody\n`,
    );
  fs.writeFileSync(path.join(root, '_posts', '2022-01-02-fine.md'), '---\ntitle: fine\nnested: [[[1]]]\n---\nbody\n');
  const r = spawnSync(
    process.execPath,
    [requireCompiledCli(), 'import', root, '--db', path.join(root, '..', 'x.db'), '--json', '--no-progress'],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
  const s: ImportSummary = JSON.parse(r.stdout);
  expect(s.new).toBe(1);
  expect(s.failed.map((f) => f.path).sort()).toEqual(depths.map((d) => `_posts/2022-01-01-d${d}.md`).sort());
  for (const f of s.failed) expect(f.reason).toMatch(/nested too deeply/);
});

test('a duplicate replaced by a named pipe: taking over its permalink does not block the import', () => {
  // Run through the CLI with a timeout: a blocking read of a FIFO would hang this process for good.
  const dir = tempDir('newsgraph-fifo-dup-');
  const root = path.join(dir, 'archive');
  fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
  fs.mkdirSync(path.join(root, 'old_post'));
  fs.writeFileSync(path.join(root, '_posts', '2022-01-02-a.md'), simplePost('a'));
  fs.writeFileSync(path.join(root, 'old_post', '2022-01-02-a.md'), simplePost('a again'));
  const run = (...flags: string[]) => {
    const r = spawnSync(
      process.execPath,
      [requireCompiledCli(), 'import', root, '--db', path.join(dir, 'x.db'), '--json', '--no-progress', ...flags],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    return JSON.parse(r.stdout) as ImportSummary;
  };
  expect(run().duplicates.map((d) => d.path)).toEqual(['old_post/2022-01-02-a.md']);
  fs.rmSync(path.join(root, 'old_post', '2022-01-02-a.md'));
  execFileSync('mkfifo', [path.join(root, 'old_post', '2022-01-02-a.md')]);
  // The owner stops being a post (no --prune, which would forget the pipe's row first): the
  // duplicate is asked to take over.
  fs.writeFileSync(
    path.join(root, '_posts', '2022-01-02-a.md'),
    simplePost('a').replace('title: a', 'title: a\npublished: false'),
  );
  const s = run();
  expect(s.new).toBe(0);
  expect(s.skipped).toEqual([
    { path: '_posts/2022-01-02-a.md', reason: 'published: false in front matter' },
    { path: 'old_post/2022-01-02-a.md', reason: 'not a regular file (a named pipe)' },
  ]);
});
