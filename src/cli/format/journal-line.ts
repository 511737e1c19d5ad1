// One journal entry as journalctl's short format prints it: "Nov 22 02:22:18 host unitvisor[1]: msg".
import type { JournalEntry } from '../../protocol/events.js';
import { formatShortTimestamp } from '../../common/timestamp.js';
import { printableMessage } from '../../common/printable.js';

export function formatJournalLine(entry: JournalEntry, hostname: string, daemonPid: number, precise = false): string {
  const stamp = formatShortTimestamp(entry.time, precise);
  if (entry.kind === 'output') return `${stamp} ${hostname} ${entry.ident}[${entry.pid}]: ${printableMessage(entry.line)}`;
  return `${stamp} ${hostname} unitvisor[${daemonPid}]: ${printableMessage(entry.msg)}`;
}
