import fs from 'fs';
import path from 'path';

/**
 * Data flows one way (docs/architecture.md, "Layout"): each folder of src/ imports only the floors
 * below it. This reads every relative import of src/ and fails on one that reaches up.
 */
const SRC = path.resolve(__dirname, '../../src');

const MAY_IMPORT: Record<string, string[]> = {
  config: [],
  ingest: ['config'],
  entities: ['ingest'],
  db: ['ingest', 'entities', 'config'],
  graphql: ['db', 'ingest', 'config'],
  server: ['graphql', 'db', 'ingest', 'config'],
  watch: ['db', 'ingest', 'config'],
  cli: ['server', 'watch', 'graphql', 'db', 'ingest', 'entities', 'config'],
};

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** `from '…'`, `import('…')` and `require('…')` of relative paths, type-only imports included. */
export function relativeImports(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom|\bimport\(|\brequire\()\s*['"](\.{1,2}\/[^'"]*)['"]/g)].map((m) => m[1]);
}

/** `from -> to` for each import of a file in one floor of src/ into another floor of src/. */
function crossings(): { file: string; from: string; to: string }[] {
  const out: { file: string; from: string; to: string }[] = [];
  for (const file of tsFiles(SRC)) {
    const from = path.relative(SRC, file).split(path.sep)[0];
    for (const spec of relativeImports(fs.readFileSync(file, 'utf8'))) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
      // Outside src/ (the migrations beside it) is no floor.
      if (target.startsWith('..')) continue;
      const to = target.split(path.sep)[0];
      if (to !== from) out.push({ file: path.relative(SRC, file), from, to });
    }
  }
  return out;
}

describe('the floors of src/', () => {
  test('every folder of src/ has its place in the table', () => {
    const folders = fs
      .readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  test('no file imports a floor above its own', () => {
    const found = crossings();
    // The reader sees real crossings, so an empty scan (a broken pattern) cannot pass.
    expect(found.filter((c) => c.from === 'db' && c.to === 'ingest').length).toBeGreaterThan(0);
    const upward = found.filter((c) => !MAY_IMPORT[c.from]?.includes(c.to)).map((c) => `${c.file} -> ${c.to}`);
    expect(upward).toEqual([]);
  });

  test('the reader finds each form of import', () => {
    expect(
      relativeImports(`import type { A } from '../db/a';\nconst b = await import('./b');\nrequire("../../c")`),
    ).toEqual(['../db/a', './b', '../../c']);
    expect(relativeImports(`import x from 'graphql'`)).toEqual([]);
  });
});
