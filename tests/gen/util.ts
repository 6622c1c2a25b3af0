import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A fresh empty folder under the OS temp dir; removed by cleanup(). */
export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `newsgraph-gen-${label}-`));
}

export function cleanup(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Every file under `root`, as sorted archive-relative paths with `/` separators. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** sha256 over every relative path and file content, in sorted order. */
export function hashTree(root: string): string {
  const h = createHash('sha256');
  for (const rel of listFiles(root)) {
    h.update(rel);
    h.update('\0');
    h.update(fs.readFileSync(path.join(root, rel)));
    h.update('\0');
  }
  return h.digest('hex');
}

/** Split `---\n…\n---\n` front matter by hand: the front-matter lines and the raw body. */
export function splitFrontMatter(text: string): { lines: string[]; body: string } {
  if (!text.startsWith('---\n')) throw new Error('no opening ---');
  const end = text.indexOf('\n---', 3);
  if (end === -1) throw new Error('no closing ---');
  const lines = text.slice(4, end).split('\n');
  const after = text.slice(end + 4);
  return { lines, body: after.startsWith('\n') ? after.slice(1) : after };
}

/** The value of `key:` among front-matter lines, or undefined. */
export function field(lines: string[], key: string): string | undefined {
  const line = lines.find((l) => l.startsWith(`${key}:`));
  return line === undefined ? undefined : line.slice(key.length + 1).trim();
}

/** Distinct `<market>.<code>` secids linked in a body (inline links and chart embeds, boards included). */
export function linkedSecids(body: string): Set<string> {
  const out = new Set<string>();
  for (const m of body.matchAll(/data-code="(\d+),([A-Za-z0-9]+)"/g)) out.add(`${m[1]}.${m[2]}`);
  for (const m of body.matchAll(/data-code="([A-Za-z0-9]+)\|(\d+)\|\d+"/g)) out.add(`${m[2]}.${m[1]}`);
  return out;
}
