// Error classes of the Jekyll layer. Messages say what is wrong; callers prefix the path.

/** The file has no YAML front matter (Jekyll would not treat it as front-matter content). */
export class NoFrontMatterError extends Error {
  constructor(message = 'no front matter (the file does not start with a "---" line)') {
    super(message);
    this.name = 'NoFrontMatterError';
  }
}

export type FrontMatterErrorCode = 'executable' | 'language' | 'yaml' | 'not-mapping';

/** The file has front matter, but it cannot be read as data. */
export class FrontMatterError extends Error {
  readonly code: FrontMatterErrorCode;
  constructor(code: FrontMatterErrorCode, message: string) {
    super(message);
    this.name = 'FrontMatterError';
    this.code = code;
  }
}

/** Jekyll::Errors::InvalidDateError: a date that Jekyll cannot read (it aborts the build). */
export class InvalidDateError extends Error {
  readonly input: string;
  constructor(input: string, detail?: string) {
    super(`invalid date '${input}'${detail ? ` (${detail})` : ''}`);
    this.name = 'InvalidDateError';
    this.input = input;
  }
}

/** A permalink template Jekyll cannot expand (it raises and aborts the build). */
export class PermalinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermalinkError';
  }
}
