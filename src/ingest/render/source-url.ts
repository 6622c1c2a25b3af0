// The original article's address: the first line that is nothing but an autolink `<http(s)://…>`.

/** Up to 3 spaces of indent (4 would be a code block), `<`, an http(s) URL, `>`, nothing else. */
const SOURCE_LINE = /^ {0,3}<(https?:\/\/[^\s<>]+)>[ \t]*\r?$/im;

export function findSourceUrl(body: string): string | null {
  const m = SOURCE_LINE.exec(body);
  return m ? m[1] : null;
}
