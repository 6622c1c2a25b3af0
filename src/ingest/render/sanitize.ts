// One sanitizer pass (policy in html-policy.ts, sanitizer.ts) that also collects the plain text, with guards
// that send bodies which would take quadratic time to a flat, text-only rendering.
//
// The sanitizer's onOpenTag/onCloseTag/onText hooks see every parser event, so the plain text
// is built in the same pass as the sanitized HTML (no second parse).
import { collectFlatText } from './flat-text';
import { HIDDEN_TAG } from './html-policy';
import { type Frame, sanitizeHtml, type SanitizeHooks } from './sanitizer';
import { TextCollector } from './text-collector';

/**
 * Deepest element nesting we hand to the tree parser. Real pages stay far below; beyond it
 * htmlparser2's stack handling turns quadratic, so such a body is rendered flat (see flat-text.ts).
 */
export const MAX_NESTING = 512;

/** Thrown from the sanitizer's hooks to abandon a body that would take quadratic time. */
class TooCostly extends Error {}
const TOO_COSTLY = new TooCostly('body too costly to sanitize as a tree');

/** State of the sanitize call in progress (the sanitizer runs synchronously). */
let pass: { collector: TextCollector; depth: number; removalCost: number } | null = null;

/**
 * Characters the sanitizer may re-copy for `exclusiveFilter` removals in one body (each removal
 * copies the output so far). Real bodies use a tiny fraction; past it, the body is rendered flat.
 */
const REMOVAL_BUDGET = 64_000_000;

/**
 * Runs when an allowed element closes: drops hidden elements with their content. (A link whose
 * URL was dropped stays as a harmless `<a>`; unwrapping it would cost a re-copy too.)
 */
function excludeElement(frame: Frame): boolean {
  // `tag` is the name in the post (one could write our internal tag), `name` the renamed one.
  if (frame.name !== HIDDEN_TAG && frame.tag !== HIDDEN_TAG) return false;
  if (pass && (pass.removalCost += frame.tagPosition) > REMOVAL_BUDGET) throw TOO_COSTLY;
  return true;
}

/** The hooks of every pass: the guards, and the plain text built as the sanitizer goes. */
const HOOKS: SanitizeHooks = {
  exclusiveFilter: excludeElement,
  onOpenTag: (name, attribs) => {
    if (!pass) return;
    if (++pass.depth > MAX_NESTING) throw TOO_COSTLY;
    pass.collector.open(name, attribs);
  },
  onCloseTag: (name) => {
    if (!pass) return;
    pass.depth--;
    pass.collector.close(name);
  },
  onText: (text) => pass?.collector.text(text),
};

export interface SanitizedBody {
  html: string;
  /** Plain-text lines of the same HTML (hidden and non-text elements left out). */
  lines: string[];
  /** Index in `lines` where the `cutTag` marker element was, or -1. */
  cutLine: number;
}

/**
 * Sanitizes `html` and collects its plain text in the same parse.
 * @param cutTag optional marker element (dropped from the output) whose position in the text is reported.
 */
export function sanitizeWithText(html: string, cutTag: string | null = null): SanitizedBody {
  const own = { collector: new TextCollector(cutTag), depth: 0, removalCost: 0 };
  const outer = pass;
  pass = own;
  try {
    const out = sanitizeHtml(html, HOOKS);
    return { html: out, lines: own.collector.finish(), cutLine: own.collector.cutLine };
  } catch (err) {
    if (err !== TOO_COSTLY) throw err;
  } finally {
    pass = outer;
  }
  return flatRendering(html, cutTag);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Too costly to sanitize as a tree: keep the text only, one paragraph per line. */
function flatRendering(html: string, cutTag: string | null): SanitizedBody {
  const collector = new TextCollector(cutTag);
  collectFlatText(html, collector);
  const lines = collector.finish();
  const out = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  return { html: out, lines, cutLine: collector.cutLine };
}
