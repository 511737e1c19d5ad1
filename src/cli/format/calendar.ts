// `unitvisor calendar EXPR...`: what `systemd-analyze calendar` prints (analyze-calendar.c): the
// normalized form of each calendar event and its next elapses.
import { formatRelativeUsec, formatTimestamp, formatTimestampUtc, inUtcTimezone } from '../../common/timestamp.js';
import { formatCalendar, parseCalendar } from '../../unit/values/calendar.js';
import { nextElapse } from '../../unit/values/calendar-next.js';
import { parseTimespan } from '../../unit/values/timespan.js';

export interface CalendarReport {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exitCode: number;
}

/** Field names right-aligned, as systemd's two-column table prints them. */
const field = (name: string, value: string): string => `${name.padStart(15)}: ${value}`;

/** time_parsing_hint(): what the expression is instead, if it is a time span or a relative timestamp. */
function hint(expr: string): string | undefined {
  const relative = /^(now|today|yesterday|tomorrow)$/.test(expr) || /^[+-]/.test(expr) || / (ago|left)$/.test(expr);
  const spanText = expr.replace(/^[+-]/, '').replace(/ (ago|left)$/, '');
  if (relative && (/^[a-z]+$/.test(expr) || parseTimespan(spanText) !== undefined)) return `Hint: this expression is a valid timestamp. Use 'systemd-analyze timestamp "${expr}"' instead?`;
  if (parseTimespan(expr) !== undefined) return `Hint: this expression is a valid timespan. Use 'systemd-analyze timespan "${expr}"' instead?`;
  return undefined;
}

function block(expr: string, iterations: number, baseUsec: number, nowUsec: number): { lines: string[]; error?: string[] } {
  const parsed = parseCalendar(expr);
  if (!parsed.ok) {
    const h = hint(expr);
    return { lines: [], error: [`Failed to parse calendar specification '${expr}': ${parsed.error}`, ...(h ? [h] : [])] };
  }
  const normalized = formatCalendar(parsed.value);
  const lines = [...(normalized !== expr ? [field('Original form', expr)] : []), field('Normalized form', normalized)];
  const utc = inUtcTimezone();
  let after = baseUsec;
  for (let i = 0; i < iterations; i++) {
    const next = nextElapse(parsed.value, after);
    if (next === undefined) {
      if (i === 0) lines.push(field('Next elapse', 'never'));
      break;
    }
    const ms = Math.floor(next / 1000);
    lines.push(field(i === 0 ? 'Next elapse' : `Iter. #${i + 1}`, formatTimestamp(ms)));
    if (!utc) lines.push(field('(in UTC)', formatTimestampUtc(ms)));
    lines.push(field('From now', formatRelativeUsec(nowUsec, next)));
    after = next;
  }
  return { lines };
}

/** The report for each expression, separated by blank lines; exit code 1 if any did not parse. */
export function calendarReport(exprs: readonly string[], iterations: number, baseUsec: number, nowUsec: number): CalendarReport {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exitCode = 0;
  exprs.forEach((expr, i) => {
    const one = block(expr, iterations, baseUsec, nowUsec);
    stdout.push(...one.lines);
    if (one.error) {
      stderr.push(...one.error);
      exitCode = 1;
    }
    if (i < exprs.length - 1) stdout.push('');
  });
  return { stdout, stderr, exitCode };
}
