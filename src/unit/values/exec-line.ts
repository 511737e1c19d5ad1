// Exec*= command lines (systemd.service(5) "Command lines"): systemd's config_parse_exec(),
// the $VAR expansion of replace_env_argv(), and the `systemctl show` form of a command.
import { error, warning, type Diagnostic } from '../diagnostic.js';
import { formatTimestamp } from '../../common/timestamp.js';
import { exactList } from '../../common/exact-list.js';
import type { ExecCommand } from '../model.js';
import { extractFirstWord, WHITESPACE, type ExtractFlags } from './quoting.js';
import { parseSignal, signalToString } from './signal.js';

const WORD_FLAGS: ExtractFlags = { unquote: true, cunescape: true };

interface Prefixes {
  ignoreFailure: boolean;
  separateArgv0: boolean;
  noEnvExpand: boolean;
  fullPrivileges: boolean;
  privilegesMode: ExecCommand['privilegesMode'];
}

/** The "-@:+!" prefixes, each at most once, "+" excluding "!"/"!!", as systemd accepts them. */
function readPrefixes(word: string): { prefixes: Prefixes; rest: string } {
  const p: Prefixes = { ignoreFailure: false, separateArgv0: false, noEnvExpand: false, fullPrivileges: false, privilegesMode: 'normal' };
  let i = 0;
  for (; i < word.length; i++) {
    const c = word[i];
    if (c === '-' && !p.ignoreFailure) p.ignoreFailure = true;
    else if (c === '@' && !p.separateArgv0) p.separateArgv0 = true;
    else if (c === ':' && !p.noEnvExpand) p.noEnvExpand = true;
    else if (c === '+' && !p.fullPrivileges && p.privilegesMode === 'normal') p.fullPrivileges = true;
    else if (c === '!' && !p.fullPrivileges && p.privilegesMode === 'normal') p.privilegesMode = 'ambient';
    else if (c === '!' && !p.fullPrivileges && p.privilegesMode === 'ambient') p.privilegesMode = 'ambient-fallback';
    else break;
  }
  return { prefixes: p, rest: word.slice(i) };
}

/** filename_is_valid(): a single path component. */
const isValidFilename = (s: string): boolean => s !== '' && s !== '.' && s !== '..' && !s.includes('/') && s.length <= 255;
/** string_is_safe(): no control characters, quotes or backslashes. */
const isSafe = (s: string): boolean => !/[\x01-\x1f\x7f"'\\]/.test(s);

/** path_simplify(): drops duplicate slashes, "." components and a trailing slash. */
export function simplifyPath(path: string): string {
  const absolute = path.startsWith('/');
  const parts = path.split('/').filter((c) => c !== '' && c !== '.');
  const joined = parts.join('/');
  return absolute ? '/' + joined : joined === '' ? '.' : joined;
}

const isSeparatorAt = (s: string, i: number): boolean => i >= s.length || WHITESPACE.includes(s[i] as string);

interface LineContext {
  readonly value: string;
  readonly file: string;
  readonly line: number;
  readonly diagnostics: Diagnostic[];
}

/** extract_first_word_and_warn(): on a bad escape retry keeping it verbatim, else report the quoting. */
function nextWord(ctx: LineContext, pos: number): { word: string | undefined; next: number } | undefined {
  const r = extractFirstWord(ctx.value, pos, WORD_FLAGS);
  if (!('error' in r)) return r;
  const relaxed = extractFirstWord(ctx.value, pos, { ...WORD_FLAGS, unescapeRelax: true });
  if (!('error' in relaxed)) {
    ctx.diagnostics.push(warning(ctx.file, ctx.line, `Ignoring unknown escape sequences: "${relaxed.word ?? ''}"`));
    return relaxed;
  }
  ctx.diagnostics.push(error(ctx.file, ctx.line, `Unbalanced quoting, ignoring: "${ctx.value}"`));
  return undefined;
}

/** Checks the executable path; undefined when fine, else systemd's message without the ", ignoring" part. */
function pathProblem(path: string, value: string): ((suffix: string) => string) | undefined {
  if (path === '') return (sfx) => `Empty path in command line${sfx}: '${value}'`;
  if (!isSafe(path)) return (sfx) => `Executable name contains special characters${sfx}: ${path}`;
  if (path.endsWith('/')) return (sfx) => `Executable path specifies a directory${sfx}: ${path}`;
  if (!path.startsWith('/') && !isValidFilename(path)) return (sfx) => `Neither a valid executable name nor an absolute path${sfx}: ${path}`;
  return undefined;
}

/**
 * Expands specifiers in one word after splitting, as systemd does (so a value with spaces stays one
 * word): `kind` is 'path' for the executable (unit_path_printf()), 'argument' for the others.
 */
export type ExecWordExpander = (word: string, kind: 'path' | 'argument') => { value: string } | { error: string };

/**
 * One Exec*= value as systemd 252 reads it: several commands separated by a lone ";" ("\;" is a
 * literal ";"), prefixes, quoting and C escapes. Specifiers are expanded word by word through
 * `opts.expand` when given (else the caller expanded them before, or there are none). A bad command
 * stops the line: an error, or a warning when "-" marks it ignorable (systemd's severities).
 * `fatal` is set where systemd refuses the setting so that the unit loads as bad-setting (a bad
 * command without "-", or bad quoting after the first word); commands before it are kept.
 */
export function parseExecLine(
  value: string,
  file: string,
  line: number,
  opts: { expand?: ExecWordExpander } = {},
): { commands: ExecCommand[]; diagnostics: Diagnostic[]; fatal: boolean } {
  const ctx: LineContext = { value, file, line, diagnostics: [] };
  const commands: ExecCommand[] = [];
  let fatal = false;
  let pos = 0;
  let semicolon: boolean;
  do {
    semicolon = false;
    // Bad quoting in the first word is logged, but systemd does not refuse the setting for it.
    const first = nextWord(ctx, pos);
    if (first === undefined || first.word === undefined) break;
    pos = first.next;
    if (first.word === ';') {
      semicolon = true;
      continue;
    }
    const { prefixes, rest } = readPrefixes(first.word);
    const report = (message: (sfx: string) => string) => {
      ctx.diagnostics.push(
        prefixes.ignoreFailure ? warning(file, line, message(', ignoring')) : error(file, line, message('')),
      );
      fatal = !prefixes.ignoreFailure;
    };
    const expandedPath = opts.expand ? opts.expand(rest, 'path') : { value: rest };
    if ('error' in expandedPath) {
      report((sfx) => `Failed to resolve unit specifiers in '${rest}'${sfx}: ${expandedPath.error}`);
      break;
    }
    const path = expandedPath.value;
    const problem = pathProblem(path, value);
    if (problem) {
      report(problem);
      break;
    }
    const argv: string[] = prefixes.separateArgv0 ? [] : [path];
    let failed = false;
    while (pos < value.length) {
      if (value[pos] === ';' && isSeparatorAt(value, pos + 1)) {
        pos = skipWhitespace(value, pos + 1);
        semicolon = true;
        break;
      }
      // "\;" is checked literally, so that "\\;" or "\";\"" stay ordinary words.
      if (value[pos] === '\\' && value[pos + 1] === ';' && isSeparatorAt(value, pos + 2)) {
        pos = skipWhitespace(value, pos + 2);
        argv.push(';');
        continue;
      }
      const w = nextWord(ctx, pos);
      if (w === undefined) {
        failed = true;
        break;
      }
      if (w.word === undefined) break;
      pos = w.next;
      const word = w.word;
      const expanded = opts.expand ? opts.expand(word, 'argument') : { value: word };
      if ('error' in expanded) {
        report((sfx) => `Failed to resolve unit specifiers in ${word}${sfx}: ${expanded.error}`);
        failed = true;
        break;
      }
      argv.push(expanded.value);
    }
    if (failed) {
      fatal ||= !prefixes.ignoreFailure;
      break;
    }
    if (argv.length === 0) {
      report((sfx) => `Empty executable name or zeroeth argument${sfx}: ${value}`);
      break;
    }
    commands.push({
      path: simplifyPath(path),
      argv: exactList(argv),
      ignoreFailure: prefixes.ignoreFailure,
      noEnvExpand: prefixes.noEnvExpand,
      fullPrivileges: prefixes.fullPrivileges,
      privilegesMode: prefixes.privilegesMode,
      file,
      line,
    });
  } while (semicolon);
  return { commands: exactList(commands), diagnostics: ctx.diagnostics, fatal };
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length && WHITESPACE.includes(s[i] as string)) i++;
  return i;
}

/**
 * replace_env() without systemd's braceless/extended flags: "${VAR}" substitutes (unset: empty),
 * "$$" is "$"; "$VAR", "${VAR:-x}" and an unterminated "${VAR" stay as written.
 */
function replaceEnvInWord(word: string, env: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i] as string;
    const next = word[i + 1];
    if (c === '$' && next === '$') {
      out += '$';
      i++;
    } else if (c === '$' && next === '{') {
      const close = word.indexOf('}', i + 2);
      const colon = word.indexOf(':', i + 2);
      if (close < 0 || (colon >= 0 && colon < close)) {
        // Unsupported syntax: copied verbatim up to where systemd's scanner resumes.
        const resume = colon >= 0 && (close < 0 || colon < close) ? colon : word.length - 1;
        out += word.slice(i, resume + 1);
        i = resume;
        continue;
      }
      out += env.get(word.slice(i + 2, close)) ?? '';
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

/** strv_split_full(EXTRACT_RELAX|EXTRACT_UNQUOTE): how a "$VAR" word's value becomes words. */
function splitValue(value: string): string[] {
  const words: string[] = [];
  let pos = 0;
  for (;;) {
    const r = extractFirstWord(value, pos, { relax: true, unquote: true });
    if ('error' in r || r.word === undefined) return words;
    words.push(r.word);
    pos = r.next;
  }
}

/**
 * The final argv as systemd 252's replace_env_argv(): a word starting with "$" (not "${" or "$$")
 * names a variable with all the rest of the word and becomes its value split into words (none when
 * unset or empty; quotes in the value group words); in other words "${VAR}" substitutes and "$$" is
 * "$". With the ":" prefix nothing is expanded.
 */
export function expandExecArgv(cmd: ExecCommand, env: ReadonlyMap<string, string>): string[] {
  if (cmd.noEnvExpand) return exactList(cmd.argv);
  const out: string[] = [];
  for (const word of cmd.argv) {
    if (word.startsWith('$') && word[1] !== '{' && word[1] !== '$') {
      const value = env.get(word.slice(1));
      if (value !== undefined) out.push(...splitValue(value));
      continue;
    }
    out.push(replaceEnvInWord(word, env));
  }
  // Kept while the process runs (its spawn's parameters).
  return exactList(out);
}

/** What `systemctl show` knows about the last run of a command. */
export interface ExecRunForShow {
  readonly pid: number;
  readonly startWallMs?: number;
  readonly stopWallMs?: number;
  /** "exited", "killed", "dumped", … (sigchld_code_to_string()). */
  readonly code?: string;
  /** The exit status (code=exited) or the signal number/name. */
  readonly status?: string;
}

/**
 * As `systemctl show -p ExecStart` prints one command:
 * "{ path=/bin/true ; argv[]=/bin/true ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }".
 */
export function formatExecCommandForShow(cmd: ExecCommand, run?: ExecRunForShow): string {
  const stamp = (ms: number | undefined) => (ms === undefined || ms <= 0 ? 'n/a' : formatTimestamp(ms));
  const code = run?.code ?? '(null)';
  const statusNumber = run?.status ?? '0';
  // Only an exited process has a plain status; otherwise it is a signal, printed with its name.
  const signal = /^[0-9]+$/.test(statusNumber) ? Number(statusNumber) : parseSignal(statusNumber);
  const status = code === 'exited' || signal === undefined ? statusNumber : `${signal}/${signalToString(signal)}`;
  return (
    `{ path=${cmd.path} ; argv[]=${cmd.argv.join(' ')} ; ignore_errors=${cmd.ignoreFailure ? 'yes' : 'no'} ; ` +
    `start_time=[${stamp(run?.startWallMs)}] ; stop_time=[${stamp(run?.stopWallMs)}] ; pid=${run?.pid ?? 0} ; ` +
    `code=${code} ; status=${status} }`
  );
}
