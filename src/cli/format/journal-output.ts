// journalctl's output modes for `logs -o MODE`: short (default), short-precise, cat, json, json-pretty, json-sse.
import type { JournalEntry } from '../../protocol/events.js';
import { journalFields, type JournalOrigin } from '../../protocol/journal-fields.js';
import { formatJournalLine } from './journal-line.js';
import { formatJson } from './json.js';

export const JOURNAL_OUTPUT_MODES = ['short', 'short-precise', 'cat', 'json', 'json-pretty', 'json-sse'] as const;
export type JournalOutputMode = (typeof JOURNAL_OUTPUT_MODES)[number];

export function formatJournalEntry(entry: JournalEntry, origin: JournalOrigin, mode: JournalOutputMode): string {
  switch (mode) {
    case 'short':
    case 'short-precise':
      return formatJournalLine(entry, origin.hostname, origin.daemonPid, mode === 'short-precise');
    case 'cat':
      return entry.kind === 'output' ? entry.line : entry.msg;
    case 'json':
      return formatJson(journalFields(entry, origin), 'short');
    case 'json-pretty':
      return formatJson(journalFields(entry, origin), 'pretty');
    case 'json-sse':
      return `data: ${formatJson(journalFields(entry, origin), 'short')}\n`;
  }
}
