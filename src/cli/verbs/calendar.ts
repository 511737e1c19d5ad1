// `unitvisor calendar EXPR... [--iterations N] [--base-time T]`: systemd-analyze calendar's report.
import type { Io, Options } from '../command.js';
import { calendarReport } from '../format/calendar.js';
import { parseCalendar } from '../../unit/values/calendar.js';
import { nextElapse } from '../../unit/values/calendar-next.js';

/** --base-time: "@SECONDS", "now", or an absolute date ("2026-01-01 00:00:00 UTC"). */
function parseBaseTime(text: string, nowUsec: number): number | undefined {
  if (text === 'now') return nowUsec;
  const parsed = parseCalendar(text);
  if (!parsed.ok) return undefined;
  const fixed = [parsed.value.year, parsed.value.month, parsed.value.day].every((chain) => chain.length === 1 && chain[0]?.repeat === 0 && chain[0]?.stop === -1);
  const at = fixed ? nextElapse(parsed.value, -1) : undefined;
  return at;
}

export async function calendar(exprs: readonly string[], opts: Options, io: Io): Promise<number> {
  const iterations = Number(opts['iterations'] ?? 1);
  if (!Number.isInteger(iterations) || iterations < 0) {
    io.err(`Failed to parse --iterations= argument: ${String(opts['iterations'])}`);
    return 1;
  }
  const nowUsec = Date.now() * 1000;
  const base = opts['baseTime'] === undefined ? nowUsec : parseBaseTime(String(opts['baseTime']), nowUsec);
  if (base === undefined) {
    io.err(`Failed to parse --base-time= parameter: ${String(opts['baseTime'])}`);
    return 1;
  }
  const report = calendarReport(exprs, iterations, base, nowUsec);
  for (const line of report.stderr) io.err(line);
  if (report.stdout.length > 0) io.out(report.stdout.join('\n'));
  return report.exitCode;
}
