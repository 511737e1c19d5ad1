// logs [-u UNIT]... [-f] [-n N] [-o MODE] [--json]: the daemon's journal, followed as it grows with -f.
import type { Io, Options } from '../command.js';
import { sendRequest } from '../client.js';
import { formatJournalEntry, type JournalOutputMode } from '../format/journal-output.js';
import { replyError, socketOf } from '../request.js';
import { EXIT_SUCCESS, EXIT_USAGE } from '../../protocol/exit-codes.js';
import type { LogsResult } from '../../protocol/results.js';

export async function logs(options: Options, io: Io): Promise<number> {
  const follow = options['follow'] === true;
  const count = options['lines'];
  const lines = count === undefined ? (follow ? 10 : -1) : Number(count);
  if (!Number.isInteger(lines)) {
    io.err(`Failed to parse lines '${String(count)}'`);
    return EXIT_USAGE;
  }
  let code = EXIT_SUCCESS;
  const units = (options['unit'] as string[] | undefined) ?? [];
  await sendRequest(socketOf(options), { verb: 'logs', units, follow, lines }, (reply) => {
    if (!reply.ok) {
      code = replyError(io, reply);
      return;
    }
    const result = reply.result as LogsResult;
    const json = options['json'];
    const mode: JournalOutputMode = json === 'short' ? 'json' : json === 'pretty' ? 'json-pretty' : ((options['output'] as JournalOutputMode | undefined) ?? 'short');
    for (const entry of result.entries) io.out(json === true ? JSON.stringify(entry) : formatJournalEntry(entry, result, mode));
  });
  return code;
}
