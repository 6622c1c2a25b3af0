import type { DocumentNode, GraphQLError } from 'graphql';

/** A document as checked: parsed and valid, or the errors that refuse it. */
export type Checked = DocumentNode | readonly GraphQLError[];

/**
 * Parsed and validated documents by their text, least recently used out first: a thousand
 * clients subscribing with the same few documents each paid ~1.8 ms of server CPU to parse and
 * validate the same text again (docs/performance.md, "Fan-out to 1,000 subscriptions"). What a
 * check says depends on the text only (the schema and the rules are the server's); what depends
 * on the variables (the cost) is checked on every subscription.
 */
export class CheckedDocuments {
  private readonly entries = new Map<string, Checked>();
  private chars = 0;

  constructor(
    private readonly check: (text: string) => Checked,
    /** Most documents kept, and most characters of text (a long document is checked, not kept). */
    private readonly max = { documents: 500, chars: 2_000_000 },
  ) {}

  get(text: string): Checked {
    const hit = this.entries.get(text);
    if (hit) {
      // Most recently used last.
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit;
    }
    const checked = this.check(text);
    if (text.length > this.max.chars / 10) return checked;
    this.entries.set(text, checked);
    this.chars += text.length;
    for (const [old] of this.entries) {
      if (this.entries.size <= this.max.documents && this.chars <= this.max.chars) break;
      this.entries.delete(old);
      this.chars -= old.length;
    }
    return checked;
  }

  get size(): number {
    return this.entries.size;
  }
}
