// why UNIT: one screen on why a unit is not running or did not start; exit 0 when it is active, else 3.
import type { Io, Options } from '../command.js';
import { request } from '../request.js';
import { formatJournalLine } from '../format/journal-line.js';
import { EXIT_PROGRAM_NOT_RUNNING, EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import type { WhyReport } from '../../protocol/analysis.js';

export async function why(unit: string, options: Options, io: Io): Promise<number> {
  const res = await request<WhyReport & { hostname: string; daemonPid: number }>(options, { verb: 'why', unit }, io);
  if (!res.ok) return res.exitCode;
  const { facts, journal, active, hostname, daemonPid } = res.result;
  const lines = [...facts];
  if (journal.length > 0) {
    lines.push('', `Last output of ${journal[0]?.unit ?? unit}:`);
    for (const entry of journal) lines.push(`  ${formatJournalLine(entry, hostname, daemonPid)}`);
  }
  io.out(lines.join('\n'));
  return active ? EXIT_SUCCESS : EXIT_PROGRAM_NOT_RUNNING;
}
