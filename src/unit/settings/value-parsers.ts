// Value parsers for the settings tables, each reporting a bad value in systemd 252's words (load-fragment.c, conf-parser.c).
import type { Usec } from '../../common/clock.js';
import { USEC_INFINITY } from '../../common/clock.js';
import { parseBoolean } from '../values/boolean.js';
import { parseTimespan } from '../values/timespan.js';
import { parseSignal } from '../values/signal.js';
import { parseUmask } from '../values/umask.js';
import { parseExitStatusSet } from '../values/exit-status.js';
import { splitWords } from '../values/quoting.js';
import type { EmergencyAction, ExitStatusSet } from '../model.js';
import { EMERGENCY_ACTIONS } from '../model.js';
import type { ParseContext, ValueParser } from './define-settings.js';

/** "yes"/"no"/"true"/"1"/... (config_parse_bool). */
export const bool: ValueParser<boolean> = (value, ctx) => {
  const b = parseBoolean(value);
  if (b === undefined) ctx.warn(`Failed to parse boolean value, ignoring: ${value}`);
  return b;
};

/** One of a fixed set of words; `what` completes systemd's "Failed to parse <what>, ignoring: ...". */
export function oneOf<T extends string>(values: readonly T[], what: string): ValueParser<T> {
  return (value, ctx) => {
    const found = values.find((v) => v === value);
    if (found === undefined) ctx.warn(`Failed to parse ${what}, ignoring: ${value}`);
    return found;
  };
}

/** Any string, kept as written (after specifier expansion where the row asks for it). */
export const text: ValueParser<string> = (value) => value;

/** Row option: an empty assignment unsets the field (config_parse_unit_string_printf and friends). */
export const unset = { empty: { value: undefined } } as const;

interface TimeOptions {
  /** The warning's wording; systemd's parsers differ ("sec value", "TimeoutStartSec= parameter", ...). */
  readonly what: string;
  /** "0" means no limit (config_parse_sec_fix_0). */
  readonly zeroIsInfinity?: boolean;
}

/** A time span in seconds by default (systemd.time(7)). */
export function time(options: TimeOptions): ValueParser<Usec> {
  return (value, ctx) => {
    const usec = parseTimespan(value);
    if (usec === undefined) {
      ctx.warn(`Failed to parse ${options.what}, ignoring: ${value}`);
      return undefined;
    }
    return options.zeroIsInfinity && usec === 0 ? USEC_INFINITY : usec;
  };
}

/** config_parse_unsigned. */
export const unsigned: ValueParser<number> = (value, ctx) => {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > 0xffffffff) {
    ctx.warn(`Failed to parse unsigned value, ignoring: ${value}`);
    return undefined;
  }
  return n;
};

/** A signal name or number (config_parse_signal). */
export const signal: ValueParser<number> = (value, ctx) => {
  const n = parseSignal(value);
  if (n === undefined) ctx.warn(`Failed to parse signal name, ignoring: ${value}`);
  return n;
};

/** An octal mode (config_parse_mode). */
export const umask: ValueParser<number> = (value, ctx) => {
  const n = parseUmask(value);
  if (n === undefined) ctx.warn(`Failed to parse mode value, ignoring: ${value}`);
  return n;
};

/** SuccessActionExitStatus= / FailureActionExitStatus=: 0…255 (config_parse_exit_status). */
export const exitStatus: ValueParser<number> = (value, ctx) => {
  if (!/^\d+$/.test(value)) {
    ctx.warn(`Failed to parse exit status '${value}', ignoring: Invalid argument`);
    return undefined;
  }
  const n = Number(value);
  if (n > 255) {
    ctx.warn(`Failed to parse exit status '${value}', ignoring: Numerical result out of range`);
    return undefined;
  }
  return n;
};

/** Exit-status sets add to what earlier lines set; each bad word is reported (config_parse_set_status). */
export const exitStatusSet: ValueParser<ExitStatusSet> = (value, ctx) => {
  const { statuses, signals, invalid } = parseExitStatusSet(value);
  for (const word of invalid) ctx.warn(`Failed to parse value, ignoring: ${word}`);
  return { statuses, signals };
};

/** FailureAction=, SuccessAction=, StartLimitAction=, JobTimeoutAction= (config_parse_emergency_action). */
export const emergencyAction: ValueParser<EmergencyAction> = (value, ctx) => {
  const found = EMERGENCY_ACTIONS.find((a) => a === value);
  if (found === undefined) ctx.warn(`Failed to parse ${ctx.key}=, ignoring: ${value}`);
  return found;
};

/** An absolute path, or a warning "<Key>= path is not absolute, ignoring: ..." (path_simplify_and_warn). */
export const absolutePath: ValueParser<string> = (value, ctx) => {
  if (!value.startsWith('/')) {
    ctx.warn(`${ctx.key}= path is not absolute, ignoring: ${value}`);
    return undefined;
  }
  return simplifyPath(value);
};

/** Collapses "//" and "/./" and drops a trailing "/" (path_simplify). */
export function simplifyPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return '/' + parts.join('/');
}

/** How a list setting splits its words (the extract_first_word() flags its parser passes). */
export interface WordFlags {
  /** EXTRACT_UNQUOTE (default on). */
  readonly unquote?: boolean;
  /** EXTRACT_CUNESCAPE (default off: backslashes are kept, EXTRACT_RETAIN_ESCAPE). */
  readonly cunescape?: boolean;
}

/** Whitespace-separated words; a quoting error warns and ignores the line. */
export function words(value: string, ctx: ParseContext, flags: WordFlags = {}): string[] | undefined {
  const cunescape = flags.cunescape ?? false;
  const split = splitWords(value, { unquote: flags.unquote ?? true, cunescape, retainEscape: !cunescape });
  if (split === undefined) ctx.warn(`Invalid syntax, ignoring: ${value}`);
  return split;
}

/** Words, each with its specifiers expanded: systemd expands after splitting, so values are never re-split. */
export function expandedWords(value: string, ctx: ParseContext, flags: WordFlags = {}): string[] | undefined {
  const split = words(value, ctx, flags);
  if (split === undefined) return undefined;
  const out: string[] = [];
  for (const word of split) {
    const expanded = ctx.expand(word);
    if (expanded !== undefined) out.push(expanded);
  }
  return out;
}
