// Environment= and EnvironmentFile= values (systemd.exec(5)): systemd's config_parse_environ(),
// load_env_file() and env_assignment_is_valid().
import { extractFirstWord } from './quoting.js';

/** sysconf(_SC_ARG_MAX) with the usual 8 MiB stack: the most an assignment may hold. */
const ARG_MAX = 2_097_152;

/** env_name_is_valid(): letters, digits and "_", not starting with a digit. */
export function isValidEnvName(name: string): boolean {
  return name.length > 0 && name.length <= ARG_MAX - 2 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** env_assignment_is_valid(): "NAME=value" with a valid name; the value may hold any character. */
export function isValidEnvAssignment(assignment: string): boolean {
  const eq = assignment.indexOf('=');
  if (eq < 0) return false;
  return isValidEnvName(assignment.slice(0, eq)) && !assignment.includes('\0') && assignment.length <= ARG_MAX - 1;
}

/** strv_env_replace(): a later assignment of a name replaces the earlier one, in its place. */
export function replaceEnvAssignment(list: string[], assignment: string): void {
  const name = assignment.slice(0, assignment.indexOf('=') + 1);
  const at = list.findIndex((a) => a.startsWith(name));
  if (at >= 0) list[at] = assignment;
  else list.push(assignment);
}

/**
 * One Environment= value: several assignments, quoted and C-escaped as systemd reads them
 * (`A=1 "B=two words"`). `syntaxError` means bad quoting: systemd ignores the rest of the line.
 */
export function parseEnvironmentLine(value: string): { assignments: string[]; invalid: string[]; syntaxError: boolean } {
  const assignments: string[] = [];
  const invalid: string[] = [];
  let pos = 0;
  for (;;) {
    const r = extractFirstWord(value, pos, { unquote: true, cunescape: true });
    if ('error' in r) return { assignments, invalid: [...invalid, value], syntaxError: true };
    if (r.word === undefined) return { assignments, invalid, syntaxError: false };
    pos = r.next;
    if (isValidEnvAssignment(r.word)) replaceEnvAssignment(assignments, r.word);
    else invalid.push(r.word);
  }
}

type EnvFileState =
  | 'pre-key' | 'key' | 'pre-value' | 'value' | 'value-escape'
  | 'single-quote' | 'double-quote' | 'double-quote-escape' | 'comment' | 'comment-escape';

const isNewline = (c: string) => c === '\n' || c === '\r';
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
/** SHELL_NEED_ESCAPE: what a backslash unescapes inside double quotes. */
const SHELL_NEED_ESCAPE = '"\\`$';

/** The reader's data between characters: the key and value so far, and where trailing whitespace starts. */
class EnvFileReader {
  state: EnvFileState = 'pre-key';
  key = '';
  value = '';
  keyTrim = -1;
  valueTrim = -1;
  readonly pairs: string[] = [];

  push(): void {
    const key = this.keyTrim >= 0 ? this.key.slice(0, this.keyTrim) : this.key;
    this.pairs.push(`${key}=${this.value}`);
    this.key = '';
    this.value = '';
  }
  /** Appends to the key, remembering where trailing whitespace begins. */
  keyChar(c: string): void {
    if (!isWhitespace(c)) this.keyTrim = -1;
    else if (this.keyTrim < 0) this.keyTrim = this.key.length;
    this.key += c;
  }
  valueChar(c: string): void {
    if (!isWhitespace(c)) this.valueTrim = -1;
    else if (this.valueTrim < 0) this.valueTrim = this.value.length;
    this.value += c;
  }
  chompValue(): void {
    if (this.valueTrim >= 0) this.value = this.value.slice(0, this.valueTrim);
  }
}

/** systemd 252's parse_env_file_internal(): one transition per state, fed one character. */
const ENV_FILE_TRANSITIONS: Readonly<Record<EnvFileState, (r: EnvFileReader, c: string) => EnvFileState>> = {
  'pre-key': (r, c) => {
    if (c === '#' || c === ';') return 'comment';
    if (isWhitespace(c)) return 'pre-key';
    r.keyTrim = -1;
    r.key = c;
    return 'key';
  },
  key: (r, c) => {
    if (isNewline(c)) {
      r.key = ''; // a key without "=" is dropped
      return 'pre-key';
    }
    if (c === '=') {
      r.valueTrim = -1;
      return 'pre-value';
    }
    r.keyChar(c);
    return 'key';
  },
  'pre-value': (r, c) => {
    if (isNewline(c)) {
      r.push();
      return 'pre-key';
    }
    if (c === "'") return 'single-quote';
    if (c === '"') return 'double-quote';
    if (c === '\\') return 'value-escape';
    if (isWhitespace(c)) return 'pre-value';
    r.value += c;
    return 'value';
  },
  value: (r, c) => {
    if (isNewline(c)) {
      r.chompValue();
      r.push();
      return 'pre-key';
    }
    if (c === '\\') {
      r.valueTrim = -1;
      return 'value-escape';
    }
    r.valueChar(c);
    return 'value';
  },
  'value-escape': (r, c) => {
    if (!isNewline(c)) r.value += c; // an escaped newline is eaten up entirely
    return 'value';
  },
  'single-quote': (r, c) => {
    if (c === "'") return 'pre-value';
    r.value += c;
    return 'single-quote';
  },
  'double-quote': (r, c) => {
    if (c === '"') return 'pre-value';
    if (c === '\\') return 'double-quote-escape';
    r.value += c;
    return 'double-quote';
  },
  'double-quote-escape': (r, c) => {
    if (SHELL_NEED_ESCAPE.includes(c)) r.value += c;
    else if (c !== '\n') r.value += '\\' + c; // other escapes keep their backslash, as the shell does
    return 'double-quote';
  },
  comment: (_r, c) => (c === '\\' ? 'comment-escape' : isNewline(c) ? 'pre-key' : 'comment'),
  // systemd 252 (before v254): a comment ending in a backslash swallows the next line too.
  'comment-escape': () => 'comment',
};

/** States in which the end of the file completes a pending assignment. */
const PENDING_AT_EOF: readonly EnvFileState[] = ['pre-value', 'value', 'value-escape', 'single-quote', 'double-quote', 'double-quote-escape'];

/**
 * The raw "KEY=value" pairs of an environment file, exactly as systemd 252's parse_env_file_internal()
 * reads them (no validity check yet).
 */
export function readEnvironmentFilePairs(text: string): string[] {
  const reader = new EnvFileReader();
  for (const c of text) reader.state = ENV_FILE_TRANSITIONS[reader.state](reader, c);
  if (reader.state === 'value') reader.chompValue();
  if (PENDING_AT_EOF.includes(reader.state)) reader.push();
  return reader.pairs;
}

/**
 * An EnvironmentFile=: assignments in order (a repeated name keeps its last value), and the
 * lines systemd drops with "Ignoring invalid environment assignment".
 */
export function parseEnvironmentFile(text: string): { assignments: string[]; invalid: string[] } {
  const assignments: string[] = [];
  const invalid: string[] = [];
  for (const pair of readEnvironmentFilePairs(text)) {
    if (isValidEnvAssignment(pair)) replaceEnvAssignment(assignments, pair);
    else invalid.push(pair);
  }
  return { assignments, invalid };
}

/** shell_maybe_quote(): quotes a string only when the shell would need it. */
export function shellMaybeQuote(s: string): string {
  if (!/[\x00-\x20\x7f"\\`$*?['()<>|&;!]/.test(s)) return s;
  return `"${s.replace(/["\\`$]/g, (c) => '\\' + c)}"`;
}

/** As `systemctl show` prints Environment=: `A=3 "B=two words"`. */
export function formatEnvironmentForShow(assignments: readonly string[]): string {
  return assignments.map(shellMaybeQuote).join(' ');
}
