// systemd.syntax(7) lexer: sections, comments, continuations and line numbers, as systemd's config_parse().
import { error, warning, type Diagnostic } from './diagnostic.js';

export interface SyntaxEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

export interface SyntaxSection {
  readonly name: string;
  readonly line: number;
  readonly entries: readonly SyntaxEntry[];
}

export interface SyntaxOptions {
  /** The sections this file type knows; others warn "Unknown section" (X- ones silently) and are dropped. */
  readonly sections?: readonly string[];
}

/** systemd's LONG_LINE_MAX. */
export const LONG_LINE_MAX = 1024 * 1024;

const COMMENTS = '#;';
const WHITESPACE_RE = /^[ \t\n\r]+|[ \t\n\r]+$/g;
const strip = (s: string): string => s.replace(WHITESPACE_RE, '');

interface PhysicalLine {
  readonly text: string;
  /** false when the bytes were not valid UTF-8. */
  readonly utf8: boolean;
}

/**
 * read_line(): "\n", "\r" and NUL all end a line; a run of end-of-line characters is one line end
 * as long as no kind repeats ("\r\n" is one, "\n\n" two) and nothing follows a NUL.
 */
function* physicalLines(text: string | Uint8Array): Generator<PhysicalLine> {
  const n = text.length;
  const at = (k: number): number => (typeof text === 'string' ? text.charCodeAt(k) : (text[k] as number));
  const isEol = (c: number) => c === 10 || c === 13 || c === 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && !isEol(at(j))) j++;
    yield typeof text === 'string' ? { text: text.slice(i, j), utf8: true } : decodeLine(text.subarray(i, j));
    const seen = new Set<number>();
    while (j < n && isEol(at(j)) && !seen.has(at(j))) {
      seen.add(at(j));
      j++;
      if (at(j - 1) === 0) break;
    }
    i = j;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function decodeLine(bytes: Uint8Array): PhysicalLine {
  try {
    return { text: strictUtf8.decode(bytes), utf8: true };
  } catch {
    return { text: lenientUtf8.decode(bytes), utf8: false };
  }
}

/**
 * The file as text when all of it is valid UTF-8 (nearly always): then its lines are the text's lines, since
 * no byte of a multi-byte sequence is an end-of-line character, and no line needs a decoding of its own.
 */
function decodeWhole(bytes: Uint8Array): string | Uint8Array {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes;
  }
}

/** string_is_safe(): no control characters, quotes or backslashes. */
const isSafe = (s: string): boolean => !/[\x01-\x1f\x7f"'\\]/.test(s);

/** Ends with an odd number of backslashes, i.e. the line continues. */
function endsEscaped(s: string): boolean {
  let escaped = false;
  for (const c of s) escaped = escaped ? false : c === '\\';
  return escaped;
}

class SyntaxParser {
  readonly sections: SyntaxSection[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private current: { name: string; line: number; entries: SyntaxEntry[] } | undefined;
  private currentIgnored = false;

  constructor(
    private readonly file: string,
    private readonly opts: SyntaxOptions,
  ) {}

  /** parse_line(): false when the file must not be parsed further (systemd fails the load). */
  line(raw: string, line: number, utf8: boolean): boolean {
    const l = strip(raw);
    if (l === '') return true;
    if (!utf8) {
      this.diagnostics.push(error(this.file, line, `String is not UTF-8 clean, ignoring assignment: ${l}`));
      return false;
    }
    if (l.startsWith('[')) return this.header(l, line);
    if (this.current === undefined) {
      if (!this.currentIgnored) this.diagnostics.push(warning(this.file, line, 'Assignment outside of section. Ignoring.'));
      return true;
    }
    const eq = l.indexOf('=');
    if (eq < 0) {
      this.diagnostics.push(warning(this.file, line, "Missing '=', ignoring line."));
    } else if (eq === 0) {
      this.diagnostics.push(warning(this.file, line, "Missing key name before '=', ignoring line."));
    } else {
      this.current.entries.push({ key: strip(l.slice(0, eq)), value: strip(l.slice(eq + 1)), line });
    }
    return true;
  }

  private header(l: string, line: number): boolean {
    if (!l.endsWith(']')) {
      this.diagnostics.push(error(this.file, line, `Invalid section header '${l}'`));
      return false;
    }
    const name = l.slice(1, -1);
    if (!isSafe(name)) {
      this.diagnostics.push(error(this.file, line, `Bad characters in section header '${l}'`));
      return false;
    }
    const known = this.opts.sections;
    if (known !== undefined && !known.includes(name)) {
      if (!name.startsWith('X-')) this.diagnostics.push(warning(this.file, line, `Unknown section '${name}'. Ignoring.`));
      this.current = undefined;
      this.currentIgnored = true;
      return true;
    }
    this.current = { name, line, entries: [] };
    this.currentIgnored = false;
    this.sections.push(this.current);
    return true;
  }
}

/**
 * Splits a unit file into sections of key=value entries, in file order (a repeated section is kept
 * twice). Problems are diagnostics with systemd's words; an error one means systemd would refuse
 * the whole file (it stops there). Accepts the raw bytes too, so that invalid UTF-8 is noticed.
 */
export function parseSyntax(
  text: string | Uint8Array,
  file: string,
  opts: SyntaxOptions = {},
): { sections: SyntaxSection[]; diagnostics: Diagnostic[] } {
  const parser = new SyntaxParser(file, opts);
  const done = () => ({ sections: parser.sections, diagnostics: parser.diagnostics });
  let lineNo = 0;
  let bomSeen = false;
  let continuation: { text: string; utf8: boolean } | undefined;
  for (const physical of physicalLines(typeof text === 'string' ? text : decodeWhole(text))) {
    lineNo++;
    if (physical.text.length > LONG_LINE_MAX) {
      parser.diagnostics.push(error(file, lineNo, 'Line too long'));
      return done();
    }
    // A comment line is dropped even in the middle of a continuation, as systemd does.
    const first = physical.text.replace(/^[ \t\n\r]+/, '')[0];
    if (first !== undefined && COMMENTS.includes(first)) continue;
    let l = physical.text;
    if (!bomSeen && l.startsWith('\uFEFF')) {
      l = l.slice(1);
      bomSeen = true;
    }
    const joined = continuation ? { text: continuation.text + l, utf8: continuation.utf8 && physical.utf8 } : { text: l, utf8: physical.utf8 };
    if (continuation && joined.text.length > LONG_LINE_MAX) {
      parser.diagnostics.push(error(file, lineNo, 'Continuation line too long'));
      return done();
    }
    if (endsEscaped(joined.text)) {
      // The backslash becomes a space and the next line is appended.
      continuation = { text: joined.text.slice(0, -1) + ' ', utf8: joined.utf8 };
      continue;
    }
    continuation = undefined;
    if (!parser.line(joined.text, lineNo, joined.utf8)) return done();
  }
  if (continuation) parser.line(continuation.text, lineNo, continuation.utf8);
  return done();
}
